/**
 * The engine: reads sources and writes what changed to the store.
 *
 * A read is cut into batches at its checkpoints (and every `batchSize` events in between); each batch is
 * one store transaction with the checkpoints that cover it, so an interrupted or killed run resumes from
 * the last checkpoint and ends with exactly the rows of an uninterrupted run. Several sources are read at
 * once through core's `Compose.merge`, so one failing source does not stop the others.
 *
 * @since 0.1.0
 */
import { Compose, type Feed, type Source, type SourceError } from "@electfeed/core"
import { Clock, DateTime, type Duration, Effect, Schedule, type Schema, Stream } from "effect"
import { Store } from "./store/Store.ts"

/**
 * A configured source.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly source: Source.Any
  /** The decoded config. */
  readonly config: unknown
  /** How often `poll` reads it. */
  readonly every: Duration.Duration
}

/**
 * What one read of one source did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly source: string
  readonly events: number
  readonly added: number
  readonly changed: number
  readonly regressed: number
  readonly skipped: number
  /** The events stored, marked `added` / `changed` / `regressed`. */
  readonly changes: ReadonlyArray<Feed.FeedEvent>
  readonly error: SourceError.SourceError | undefined
  readonly millis: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface SyncOptions {
  /** Events per transaction between checkpoints. Default 1000. */
  readonly batchSize?: number | undefined
  /** Keep the stored changes in the report (the demo shows them). Default false. */
  readonly keepChanges?: boolean | undefined
}

interface Pending {
  events: Array<Feed.FeedEvent>
  skipped: Array<SourceError.DecodeError>
  checkpoints: Map<string, Schema.Json>
  report: {
    events: number
    added: number
    changed: number
    regressed: number
    skipped: number
    changes: Array<Feed.FeedEvent>
    error: SourceError.SourceError | undefined
  }
}

const empty = (): Pending => ({
  events: [],
  skipped: [],
  checkpoints: new Map(),
  report: { events: 0, added: 0, changed: 0, regressed: 0, skipped: 0, changes: [], error: undefined }
})

/**
 * Reads every entry once, all at once, into the store; returns a report per source. A source that fails
 * keeps what it stored before failing, and its error is recorded for `status`.
 *
 * @since 0.1.0
 * @category sync
 */
export const syncOnce = Effect.fnUntraced(function* (entries: ReadonlyArray<Entry>, options?: SyncOptions) {
  const store = yield* Store
  const batchSize = options?.batchSize ?? 1000
  const started = yield* Clock.currentTimeMillis
  const pending = new Map(entries.map((entry) => [entry.source.id, empty()]))

  const flush = (source: string) =>
    Effect.gen(function* () {
      const state = pending.get(source)!
      if (state.events.length === 0 && state.skipped.length === 0 && state.checkpoints.size === 0) return
      const batch = {
        events: state.events,
        skipped: state.skipped,
        checkpoints: [...state.checkpoints].map(([stream, value]) => ({ stream, state: value }))
      }
      state.events = []
      state.skipped = []
      state.checkpoints = new Map()
      const written = yield* store.write(source, batch)
      state.report.skipped += written.skipped
      for (const change of written.changes) {
        if (change.change === "added") state.report.added++
        else state.report.changed++
        if (change.regressed === true) state.report.regressed++
        if (options?.keepChanges === true) state.report.changes.push(change)
      }
    })

  const reads = yield* Effect.forEach(entries, (entry) =>
    Effect.map(store.checkpoints(entry.source.id), (checkpoints) => ({
      source: entry.source.id,
      items: entry.source.read(entry.config, { checkpoints })
    }))
  )

  yield* Compose.merge(reads).pipe(
    Stream.runForEach((merged) => {
      const state = pending.get(merged.source)!
      if (merged._tag === "Failed") {
        state.report.error = merged.error
        return flush(merged.source)
      }
      const item = merged.item
      switch (item._tag) {
        case "Event":
          state.events.push(item.event)
          state.report.events++
          return state.events.length >= batchSize ? flush(merged.source) : Effect.void
        case "Skipped":
          state.skipped.push(item.error)
          return Effect.void
        case "Checkpoint":
          state.checkpoints.set(item.stream, item.state)
          return flush(merged.source)
      }
    })
  )

  const finished = yield* DateTime.now
  return yield* Effect.forEach(entries, (entry) =>
    Effect.gen(function* () {
      const id = entry.source.id
      yield* flush(id)
      const { report } = pending.get(id)!
      yield* store.recordRun(id, report.error === undefined ? { at: finished } : { at: finished, error: report.error })
      return { source: id, ...report, millis: DateTime.toEpochMillis(finished) - started } satisfies Report
    })
  )
})

/**
 * Election-night mode: reads each entry on its own cadence, for ever (until interrupted), handing each
 * read's report to `onReport`.
 *
 * @since 0.1.0
 * @category sync
 */
export const poll = <E, R>(
  entries: ReadonlyArray<Entry>,
  onReport: (report: Report, round: number) => Effect.Effect<void, E, R>,
  options?: SyncOptions
) =>
  Effect.forEach(
    entries,
    (entry) => {
      let round = 0
      return syncOnce([entry], options).pipe(
        Effect.flatMap(([report]) => onReport(report!, ++round)),
        Effect.repeat(Schedule.spaced(entry.every))
      )
    },
    { concurrency: "unbounded", discard: true }
  )
