/**
 * The commands that read and prune the store's changes: `electfeed changes` prints them as NDJSON (the
 * feed-model envelope with `change`, and its `seq` first), and `electfeed prune-changes` deletes old
 * ones. `Cli.ts` loads this module when one of them runs; their flags are in `cli/StoreCommands.ts`.
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { DateTime, Duration, Effect, Option, Stream } from "effect"
import * as AppConfig from "./AppConfig.ts"
import { type FlagsOf, usage } from "./cli/Shared.ts"
import type * as StoreCommands from "./cli/StoreCommands.ts"
import * as Stdout from "./Stdout.ts"
import { Store, type StoredChange } from "./store/Store.ts"

/**
 * A change as one NDJSON line: `seq` first, then the event as `Feed.encode` writes it.
 *
 * @since 0.2.0
 * @category formatting
 */
export const changeLine = (change: StoredChange): string => `{"seq":${change.seq},${Feed.encode(change.event).slice(1)}`

/**
 * `electfeed changes` (declared in `cli/StoreCommands.ts`); untraced, as with --follow it runs all night.
 *
 * @since 0.2.0
 * @category commands
 */
export const changes = Effect.fnUntraced(function* (flags: FlagsOf<typeof StoreCommands.changes>) {
  if (flags.since < 0) return yield* usage("--since must be 0 or a seq printed before")
  // The store alone: following changes needs no source and no secret.
  const config = yield* AppConfig.load(flags.config, undefined)
  yield* Effect.gen(function* () {
    const store = yield* Store
    yield* store
      .changes({
        since: flags.since,
        follow: flags.follow,
        ...(Option.isSome(flags.source) ? { source: flags.source.value } : {}),
        ...(Option.isSome(flags.kind) ? { kind: flags.kind.value } : {})
      })
      .pipe(
        // A page of changes becomes one write.
        Stream.mapArray((changes) => [changes.map((change) => `${changeLine(change)}\n`).join("")]),
        Stream.mapEffect(Stdout.write),
        Stream.takeWhile((open) => open),
        Stream.runDrain
      )
  }).pipe(Effect.provide(Store.layer(config.store)))
})

/**
 * `electfeed prune-changes` (declared in `cli/StoreCommands.ts`).
 *
 * @since 0.2.0
 * @category commands
 */
export const pruneChanges = Effect.fn("Cli.pruneChanges")(function* (
  flags: FlagsOf<typeof StoreCommands.pruneChanges>
) {
  if (Option.isSome(flags.before) && Option.isSome(flags.keep)) {
    return yield* usage("give --before or --keep, not both")
  }
  const config = yield* AppConfig.load(flags.config, undefined)
  const keep = Option.isSome(flags.keep)
    ? Option.filter(Duration.fromInput(flags.keep.value as Duration.Input), (d) =>
        Duration.isGreaterThan(d, Duration.zero)
      )
    : Option.fromUndefinedOr(config.store.changeRetention)
  if (Option.isSome(flags.keep) && Option.isNone(keep)) {
    return yield* usage(`--keep: expected a duration such as "30 days", got ${flags.keep.value}`)
  }
  if (Option.isNone(flags.before) && Option.isNone(keep)) {
    return yield* usage(
      "say which changes to delete: --before SEQ, --keep DURATION, or store.changeRetention in the config"
    )
  }
  const pruned = yield* Effect.gen(function* () {
    const store = yield* Store
    if (Option.isSome(flags.before)) return yield* store.pruneChanges({ before: flags.before.value })
    const now = yield* DateTime.now
    return yield* store.pruneChanges({ committedBefore: DateTime.subtractDuration(now, Option.getOrThrow(keep)) })
  }).pipe(Effect.provide(Store.layer(config.store)))
  yield* Stdout.lines(`pruned ${pruned} changes`)
})
