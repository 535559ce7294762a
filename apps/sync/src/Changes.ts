/**
 * The commands that read and prune the store's changes: `electfeed changes` prints them as NDJSON (the
 * feed-model envelope with `change`, and its `seq` first), and `electfeed prune-changes` deletes old
 * ones. The CLI registers them with its own config flag, error handling and store (see `commands`).
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { DateTime, Duration, Effect, Option, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import type * as AppConfig from "./AppConfig.ts"
import type { LogFormat } from "./Output.ts"
import * as Stdout from "./Stdout.ts"
import { Store, type StoredChange, type StoreError } from "./store/Store.ts"

/**
 * What the CLI lends its commands: the config flag, how a command's work is run (failures made
 * readable, with exit codes) and how the store is provided.
 *
 * @since 0.2.0
 * @category models
 */
export interface Shared<Extra = never> {
  readonly config: Flag.Flag<string>
  /** Reads and checks the config file. */
  readonly load: (file: string) => Effect.Effect<AppConfig.AppConfig, unknown>
  readonly action: <A, R>(
    work: (format: LogFormat) => Effect.Effect<A, unknown, R>
  ) => Effect.Effect<A, unknown, R | Extra>
  readonly withStore: (
    config: AppConfig.AppConfig
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, Exclude<R, Store>>
  /** Fails the command with a usage error (exit 2) saying `message`. */
  readonly usage: (message: string) => Effect.Effect<never, unknown>
}

/**
 * A change as one NDJSON line: `seq` first, then the event as `Feed.encode` writes it.
 *
 * @since 0.2.0
 * @category formatting
 */
export const changeLine = (change: StoredChange): string => `{"seq":${change.seq},${Feed.encode(change.event).slice(1)}`

const changesCommand = <Extra>(shared: Shared<Extra>) =>
  Command.make(
    "changes",
    {
      config: shared.config,
      since: Flag.Int("since").pipe(
        Flag.withMetavar("SEQ"),
        Flag.withDescription("Print the changes after this seq (0 for all); resume with the last seq you printed"),
        Flag.withDefault(0)
      ),
      follow: Flag.Boolean("follow").pipe(
        Flag.withAlias("f"),
        Flag.withDescription("Then wait for new changes and print each once it is committed, until stopped"),
        Flag.withDefault(false)
      ),
      source: Flag.String("source").pipe(
        Flag.withMetavar("ID"),
        Flag.withDescription("Only this source's changes, e.g. ca-sos"),
        Flag.optional
      ),
      kind: Flag.Literals("kind", ["ContestResult", "Candidate", "Endorsement", "DatasetRow"]).pipe(
        Flag.withMetavar("KIND"),
        Flag.withDescription("Only changes of this kind"),
        Flag.optional
      )
    },
    (flags) =>
      shared.action(
        // Untraced: with --follow it runs all night.
        Effect.fnUntraced(function* () {
          if (flags.since < 0) return yield* shared.usage("--since must be 0 or a seq printed before")
          const config = yield* shared.load(flags.config)
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
          }).pipe(shared.withStore(config))
        })
      )
  ).pipe(
    Command.withDescription(
      "Print the stored changes as NDJSON, in the order they were stored: each line is the feed event with its `change` (added, changed or removed; `regressed: true` when counts went down) and its `seq`, a number that only grows across the whole store. Resume with --since the last seq you handled; --follow waits for new ones (PostgreSQL: told on commit; SQLite: looks five times a second)."
    ),
    Command.withExamples([
      { command: "electfeed changes --config electfeed.yaml", description: "Every change stored" },
      {
        command: "electfeed changes --config electfeed.yaml --since 1200 --follow --source ca-sos",
        description: "CA SOS changes after seq 1200, then each new one as it is stored"
      },
      {
        command: "electfeed changes --config electfeed.yaml --kind ContestResult | jq -c 'select(.regressed)'",
        description: "Contests whose counts went down"
      }
    ])
  )

const pruneCommand = <Extra>(shared: Shared<Extra>) =>
  Command.make(
    "prune-changes",
    {
      config: shared.config,
      before: Flag.Int("before").pipe(
        Flag.withMetavar("SEQ"),
        Flag.withDescription("Delete the changes with a seq below this one"),
        Flag.optional
      ),
      keep: Flag.String("keep").pipe(
        Flag.withMetavar("DURATION"),
        Flag.withDescription(
          'Delete the changes stored longer ago than this, e.g. "30 days" (default: the store\'s changeRetention)'
        ),
        Flag.optional
      )
    },
    (flags) =>
      shared.action(
        Effect.fn("Cli.pruneChanges")(function* () {
          if (Option.isSome(flags.before) && Option.isSome(flags.keep)) {
            return yield* shared.usage("give --before or --keep, not both")
          }
          const config = yield* shared.load(flags.config)
          const keep = Option.isSome(flags.keep)
            ? Option.filter(Duration.fromInput(flags.keep.value as Duration.Input), (d) =>
                Duration.isGreaterThan(d, Duration.zero)
              )
            : Option.fromUndefinedOr(config.store.changeRetention)
          if (Option.isSome(flags.keep) && Option.isNone(keep)) {
            return yield* shared.usage(`--keep: expected a duration such as "30 days", got ${flags.keep.value}`)
          }
          if (Option.isNone(flags.before) && Option.isNone(keep)) {
            return yield* shared.usage(
              "say which changes to delete: --before SEQ, --keep DURATION, or store.changeRetention in the config"
            )
          }
          const pruned = yield* Effect.gen(function* () {
            const store = yield* Store
            if (Option.isSome(flags.before)) return yield* store.pruneChanges({ before: flags.before.value })
            const now = yield* DateTime.now
            return yield* store.pruneChanges({
              committedBefore: DateTime.subtractDuration(now, Option.getOrThrow(keep))
            })
          }).pipe(shared.withStore(config))
          yield* Stdout.lines(`pruned ${pruned} changes`)
        })
      )
  ).pipe(
    Command.withDescription(
      "Delete old stored changes (the data, history and checkpoints stay). A seq is never given again, so consumers that resume after a pruned seq go on unharmed."
    ),
    Command.withExamples([
      {
        command: "electfeed prune-changes --config electfeed.yaml --before 50000",
        description: "Changes below seq 50000"
      },
      {
        command: 'electfeed prune-changes --config electfeed.yaml --keep "30 days"',
        description: "Changes stored more than 30 days ago"
      }
    ])
  )

/**
 * The `changes` and `prune-changes` commands.
 *
 * @since 0.2.0
 * @category commands
 */
export const commands = <Extra>(shared: Shared<Extra>) => [changesCommand(shared), pruneCommand(shared)] as const
