/**
 * Composing sources into one feed: merged reads, and change detection by key.
 *
 * @since 0.1.0
 */
import { Effect, Filter, identity, Option, Stream } from "effect"
import { type Change, type ContestResult, contentHash, type FeedEvent } from "./Feed.ts"
import type { ReadItem } from "./Source.ts"
import type { SourceError } from "./SourceError.ts"

/**
 * An item of a merged read: what one source emitted, or how it failed. One source failing does not end
 * the others' reads.
 *
 * @since 0.1.0
 * @category models
 */
export type Merged =
  | { readonly _tag: "Item"; readonly source: string; readonly item: ReadItem }
  | { readonly _tag: "Failed"; readonly source: string; readonly error: SourceError }

/**
 * One source's read, named.
 *
 * @since 0.1.0
 * @category models
 */
export interface NamedRead<R> {
  readonly source: string
  readonly items: Stream.Stream<ReadItem, SourceError, R>
}

/**
 * Merges several sources' reads into one stream: at most `concurrency` read at once (default: all), each
 * buffered up to `bufferSize` items (default 64) so a fast source cannot flood a slow consumer.
 *
 * @since 0.1.0
 * @category composition
 */
export const merge = <R>(
  reads: ReadonlyArray<NamedRead<R>>,
  options?: { readonly concurrency?: number | undefined; readonly bufferSize?: number | undefined }
): Stream.Stream<Merged, never, R> =>
  Stream.mergeAll(
    reads.map(({ items, source }) =>
      items.pipe(
        Stream.map((item): Merged => ({ _tag: "Item", source, item })),
        Stream.catch((error) => Stream.succeed<Merged>({ _tag: "Failed", source, error }))
      )
    ),
    { concurrency: options?.concurrency ?? "unbounded", bufferSize: options?.bufferSize ?? 64 }
  )

/**
 * What is known of an entity: the hash of its data and the data itself (to tell a regression).
 *
 * @since 0.1.0
 * @category models
 */
export interface Known {
  readonly hash: string
  readonly data: unknown
}

/**
 * How an event differs from what was known of its key, if it does.
 *
 * @since 0.1.0
 * @category models
 */
export interface Difference {
  readonly change: Change
  /** Some vote count or `precinctsReporting` went down. */
  readonly regressed: boolean
  /** The hash of the event's data. */
  readonly hash: string
}

const isContestData = (data: unknown): data is ContestResult =>
  typeof data === "object" && data !== null && "selections" in data && "reporting" in data

/**
 * Whether a contest's counts went down from `previous` to `next`: a selection (matched by name) lost
 * votes, or fewer precincts report. Sources clear pre-election test data this way.
 */
const isRegression = (previous: unknown, next: unknown): boolean => {
  if (!isContestData(previous) || !isContestData(next)) return false
  if (next.reporting.precinctsReporting < previous.reporting.precinctsReporting) return true
  const before = new Map(previous.selections.map((s) => [s.name, s.votes]))
  return next.selections.some((s) => s.votes < (before.get(s.name) ?? 0))
}

/**
 * Compares an event with what was known of its key: `None` when its data is unchanged.
 *
 * @since 0.1.0
 * @category changes
 */
export const difference = (previous: Known | undefined, event: FeedEvent): Option.Option<Difference> => {
  const hash = contentHash(event.data)
  if (previous === undefined) return Option.some({ change: "added", regressed: false, hash })
  if (previous.hash === hash) return Option.none()
  return Option.some({ change: "changed", regressed: isRegression(previous.data, event.data), hash })
}

/**
 * Marks an event with its difference: `change`, and `regressed: true` when it regressed.
 *
 * @since 0.1.0
 * @category changes
 */
export const mark = <E extends FeedEvent>(event: E, difference: Difference): E => ({
  ...event,
  change: difference.change,
  ...(difference.regressed ? { regressed: true } : {})
})

/**
 * Where change detection remembers what it has seen, by source and key.
 *
 * @since 0.1.0
 * @category models
 */
export interface KnownState {
  readonly get: (source: string, key: string) => Effect.Effect<Known | undefined>
  readonly set: (source: string, key: string, known: Known) => Effect.Effect<void>
}

/**
 * A {@link KnownState} in memory, for one process.
 *
 * @since 0.1.0
 * @category changes
 */
export const memoryState = (): KnownState => {
  const known = new Map<string, Known>()
  const id = (source: string, key: string) => `${source}\u0000${key}`
  return {
    get: (source, key) => Effect.sync(() => known.get(id(source, key))),
    set: (source, key, value) => Effect.sync(() => void known.set(id(source, key), value))
  }
}

/**
 * Keeps the events whose data differs from what `state` last saw for their key, marked `added` or
 * `changed` (and `regressed`), and drops the unchanged ones.
 *
 * @since 0.1.0
 * @category changes
 */
export const changes =
  (state: KnownState) =>
  <E, R>(events: Stream.Stream<FeedEvent, E, R>): Stream.Stream<FeedEvent, E, R> =>
    events.pipe(
      Stream.mapEffect((event) =>
        Effect.gen(function* () {
          const found = difference(yield* state.get(event.source, event.key), event)
          if (Option.isNone(found)) return Option.none<FeedEvent>()
          yield* state.set(event.source, event.key, { hash: found.value.hash, data: event.data })
          return Option.some(mark(event, found.value))
        })
      ),
      Stream.filterMap(Filter.fromPredicateOption(identity))
    )
