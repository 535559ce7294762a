/**
 * The engine: reads sources and writes what changed to the store.
 *
 * A read is cut into batches at its checkpoints (and every `batchSize` events in between); each batch is
 * one store transaction with the checkpoints that cover it, so an interrupted or killed run resumes from
 * the last checkpoint and ends with exactly the rows of an uninterrupted run. The rows a source reports
 * malformed wait for the checkpoint that covers them, and are kept once however often they are read.
 * Several sources are read at once, each holding its lease in the store (so two processes never write
 * one source at once); one failing source does not stop the others.
 *
 * @since 0.1.0
 */
import { type Feed, type Source, SourceError } from "@electfeed/core"
import { Clock, DateTime, type Duration, Effect, Schedule, type Schema, Stream } from "effect"
import { type LeaseBusy, Store, type StoreError, type StoreService } from "./store/Store.ts"

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
  /** Events read. */
  readonly events: number
  readonly added: number
  readonly changed: number
  readonly regressed: number
  /** Events whose data was stored already. */
  readonly unchanged: number
  /** Rows the source reported malformed, and events the store could not keep. */
  readonly skipped: number
  /**
   * The events stored, marked `added` / `changed` / `regressed`: every one with `keepChanges`, else the
   * first few contests (the poll line names them).
   */
  readonly changes: ReadonlyArray<Feed.FeedEvent>
  /** Why the read failed, or why it could not start (another process writing the source). */
  readonly error: SourceError.SourceError | LeaseBusy | undefined
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

/**
 * Malformed rows wait for the checkpoint that covers them, to be stored with it; past this many, they
 * are stored without waiting (idempotently, so a rerun does not store them twice either).
 */
const heldSkippedRows = 10_000

/** The contests a report keeps without `keepChanges`: its poll line names them. */
const namedContests = 3

const nothingRead = { events: 0, added: 0, changed: 0, regressed: 0, unchanged: 0, skipped: 0 }

/** Reads one entry into the store (its caller holds the lease). */
const syncEntry = Effect.fn("Sync.syncEntry")(function* (
  store: StoreService,
  entry: Entry,
  options: SyncOptions | undefined
) {
  const source = entry.source.id
  const batchSize = options?.batchSize ?? 1000
  const started = yield* Clock.currentTimeMillis
  const report = { ...nothingRead, changes: [] as Array<Feed.FeedEvent> }
  let events: Array<Feed.FeedEvent> = []
  let skipped: Array<SourceError.DecodeError> = []
  let checkpoints = new Map<string, Schema.Json>()

  const flush = (withSkipped: boolean) =>
    Effect.gen(function* () {
      const batch = {
        events,
        skipped: withSkipped ? skipped : [],
        checkpoints: [...checkpoints].map(([stream, state]) => ({ stream, state }))
      }
      if (batch.events.length === 0 && batch.skipped.length === 0 && batch.checkpoints.length === 0) return
      events = []
      if (withSkipped) skipped = []
      checkpoints = new Map()
      const written = yield* store.write(source, batch)
      report.skipped += written.skipped
      report.unchanged += written.unchanged
      for (const change of written.changes) {
        if (change.change === "added") report.added++
        else report.changed++
        if (change.regressed === true) report.regressed++
        if (options?.keepChanges === true || (change.kind === "ContestResult" && report.changes.length < namedContests))
          report.changes.push(change)
      }
      yield* Effect.logDebug(
        `${source}: stored ${batch.events.length} events, ${written.skipped} kept aside` +
          (batch.checkpoints.length > 0 ? `, checkpoint ${batch.checkpoints.map((c) => c.stream).join(", ")}` : "")
      )
    })

  const stored = yield* store.checkpoints(source)
  const error = yield* entry.source.read(entry.config, { checkpoints: stored }).pipe(
    Stream.runForEach((item): Effect.Effect<void, StoreError> => {
      switch (item._tag) {
        case "Event":
          events.push(item.event)
          report.events++
          return events.length >= batchSize ? flush(false) : Effect.void
        case "Skipped":
          skipped.push(item.error)
          return skipped.length >= heldSkippedRows ? flush(true) : Effect.void
        case "Checkpoint":
          checkpoints.set(item.stream, item.state)
          return flush(true)
      }
    }),
    Effect.as(undefined),
    Effect.catchIf(SourceError.isSourceError, Effect.succeed)
  )
  yield* flush(true)
  const finished = yield* DateTime.now
  yield* store.recordRun(source, error === undefined ? { at: finished } : { at: finished, error })
  return { source, ...report, error, millis: DateTime.toEpochMillis(finished) - started } satisfies Report
})

/**
 * Reads every entry once, all at once, into the store; returns a report per source. A source that fails
 * keeps what it stored before failing, and its error is recorded for `status`. A source another process
 * is writing is waited for (see `Store.withLease`); past the wait, that is its error.
 *
 * @since 0.1.0
 * @category sync
 */
export const syncOnce = Effect.fn("Sync.syncOnce")(function* (entries: ReadonlyArray<Entry>, options?: SyncOptions) {
  const store = yield* Store
  return yield* Effect.forEach(
    entries,
    (entry) =>
      Effect.gen(function* () {
        const started = yield* Clock.currentTimeMillis
        return yield* syncEntry(store, entry, options).pipe(
          store.withLease(entry.source.id),
          Effect.catchTag("LeaseBusy", (error) =>
            Effect.gen(function* () {
              const at = yield* DateTime.now
              yield* store.recordRun(entry.source.id, { at, error })
              const millis = DateTime.toEpochMillis(at) - started
              return { source: entry.source.id, ...nothingRead, changes: [], error, millis } satisfies Report
            })
          )
        )
      }),
    { concurrency: "unbounded" }
  )
})

// No span of its own: it runs all night, and each read is a `Sync.syncOnce` trace of its own.
/**
 * Election-night mode: reads each entry on its own cadence, for ever (until interrupted), handing each
 * read's report to `onReport`. A failed read is reported like any other, and the next one comes on
 * the cadence.
 *
 * @since 0.1.0
 * @category sync
 */
export const poll = <E, R>(
  entries: ReadonlyArray<Entry>,
  onReport: (report: Report, round: number) => Effect.Effect<void, E, R>,
  options?: SyncOptions
) =>
  Effect.forEach(entries, (entry) => pollEntry(entry, onReport, options), { concurrency: "unbounded", discard: true })

/**
 * The poll loop of one entry (see {@link poll}): what a cluster runs as the entry's singleton.
 *
 * @since 0.2.0
 * @category sync
 */
export const pollEntry = <E, R>(
  entry: Entry,
  onReport: (report: Report, round: number) => Effect.Effect<void, E, R>,
  options?: SyncOptions
) => {
  let round = 0
  return syncOnce([entry], options).pipe(
    Effect.flatMap(([report]) => onReport(report!, ++round)),
    Effect.repeat(Schedule.spaced(entry.every))
  )
}
