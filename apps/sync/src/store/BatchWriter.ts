/**
 * Writing one batch of a read: the events that changed, their contests' history, the rows kept aside
 * and the checkpoints that cover them, in one transaction.
 *
 * @since 0.1.0
 */
import { Compose, SourceError as Errors, Feed } from "@electfeed/core"
import { Array as Arr, DateTime, Effect, Option, Schema } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import type { Schemas } from "./Rows.ts"
import * as Storable from "./Storable.ts"

/**
 * What a batch changed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Written {
  /** The events stored, marked `added` or `changed` (and `regressed`). */
  readonly changes: ReadonlyArray<Feed.FeedEvent>
  readonly unchanged: number
  /** Rows the source reported malformed, and events the store could not keep (see `Storable`). */
  readonly skipped: number
}

/**
 * A batch of one source's read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Batch {
  readonly events: ReadonlyArray<Feed.FeedEvent>
  readonly skipped: ReadonlyArray<Errors.DecodeError>
  readonly checkpoints: ReadonlyArray<{ readonly stream: string; readonly state: Schema.Json }>
}

const inChunks = <A>(items: ReadonlyArray<A>, size: number): Array<Arr.NonEmptyReadonlyArray<A>> => {
  const out: Array<Arr.NonEmptyReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size) as unknown as Arr.NonEmptyReadonlyArray<A>)
  return out
}

const encodeError = Schema.encodeSync(Errors.DecodeError)

/**
 * A skipped row as stored: the stream when known (an event the store could not keep), `""` for a row
 * the source reported, and where it was.
 */
interface SkippedRow {
  readonly stream: string
  readonly error: Errors.DecodeError
}

/**
 * The writer of one store: `(source, batch)` to what changed. Runs in one transaction; the caller
 * bounds it in time.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (rows: Schemas) {
  const sql = yield* SqlClient.SqlClient

  const findKnown = SqlSchema.findAll({
    Request: Schema.Struct({ source: Schema.String, keys: Schema.NonEmptyArray(Schema.String) }),
    Result: rows.Known,
    execute: ({ keys, source }) =>
      sql`SELECT key, hash, data FROM feed_entities WHERE source = ${source} AND key IN ${sql.in(keys)}`
  })
  const known = (source: string, keys: ReadonlyArray<string>) =>
    Effect.forEach(inChunks(keys, 500), (chunk) => findKnown({ source, keys: chunk }), { concurrency: 1 }).pipe(
      Effect.map((found) => new Map(found.flat().map((row) => [row.key, { hash: row.hash, data: row.data }])))
    )

  const findCheckpoints = SqlSchema.findAll({
    Request: Schema.String,
    Result: rows.Checkpoint,
    execute: (source) => sql`SELECT source, stream, state FROM source_checkpoints WHERE source = ${source}`
  })
  const checkpoints = (source: string) =>
    Effect.map(findCheckpoints(source), (found) =>
      Object.fromEntries(found.map((row) => [row.stream, row.state] as const))
    )

  const write = Effect.fn("Store.write")(
    function* (source: string, batch: Batch) {
      const latest = new Map<string, Feed.FeedEvent>()
      for (const event of batch.events) latest.set(event.key, event)
      const skipped: Array<SkippedRow> = batch.skipped.map((error) => ({ stream: "", error }))
      const keepAside = (event: Feed.FeedEvent) => {
        const rejected = Storable.rejection(source, event)
        if (rejected !== undefined) skipped.push({ stream: Storable.escapeFlaws(event.stream), error: rejected })
        return rejected !== undefined
      }
      // The keys are looked up, so they are checked first; the rest of an event only if it is written.
      for (const [key, event] of latest) {
        if (!(Storable.isStorable(key) && Storable.isStorable(event.stream)) && keepAside(event)) latest.delete(key)
      }
      const before = yield* known(source, [...latest.keys()])
      const changes: Array<Feed.FeedEvent> = []
      let unchanged = 0
      for (const event of latest.values()) {
        const difference = Compose.difference(before.get(event.key), event)
        if (Option.isNone(difference)) unchanged++
        else if (!keepAside(event)) changes.push(Compose.mark(event, difference.value))
      }
      const storedCheckpoints = batch.checkpoints.length === 0 ? {} : yield* checkpoints(source)
      // A checkpoint the store cannot keep is left out: the next read starts from the one before it.
      const newCheckpoints = batch.checkpoints
        .filter(({ state }) => Storable.findFlaw(state) === undefined)
        .map(({ state, stream }) => ({ stream: Storable.escapeFlaws(stream), state }))
        .filter(({ state, stream }) => Feed.stableJson(storedCheckpoints[stream]) !== Feed.stableJson(state))
      const written: Written = { changes, unchanged, skipped: skipped.length }
      if (changes.length === 0 && skipped.length === 0 && newCheckpoints.length === 0) return written
      const now = DateTime.formatIso(yield* DateTime.now)
      for (const chunk of inChunks(changes, 200)) {
        yield* sql`INSERT INTO feed_entities ${sql.insert(
          Arr.map(chunk, (event) => ({
            source,
            key: event.key,
            stream: event.stream,
            kind: event.kind,
            hash: Feed.contentHash(event.data),
            data: Feed.stableJson(event.data),
            provenance: Feed.stableJson(event.provenance),
            observed_at: event.observedAt,
            first_seen_at: event.observedAt,
            regressed: event.regressed === true ? 1 : 0
          }))
        )} ON CONFLICT (source, key) DO UPDATE SET
            stream = excluded.stream, kind = excluded.kind, hash = excluded.hash, data = excluded.data,
            provenance = excluded.provenance, observed_at = excluded.observed_at, regressed = excluded.regressed`
        const contests = chunk.filter((event): event is Feed.EventOf<"ContestResult"> => event.kind === "ContestResult")
        if (Arr.isReadonlyArrayNonEmpty(contests)) {
          yield* sql`INSERT INTO contest_history ${sql.insert(
            Arr.map(contests, (event) => ({
              source,
              key: event.key,
              hash: Feed.contentHash(event.data),
              observed_at: event.observedAt,
              change: event.change ?? "changed",
              regressed: event.regressed === true ? 1 : 0,
              precincts_reporting: event.data.reporting.precinctsReporting,
              precincts_total: event.data.reporting.precinctsTotal,
              percent_reporting: event.data.reporting.percent,
              source_updated_at: event.data.updatedAt,
              selections: Feed.stableJson(event.data.selections)
            }))
          )}`
        }
      }
      // A rerun from the previous checkpoint reads the same malformed rows again: each is kept once.
      const located = new Map<string, { readonly stream: string; readonly location: string; readonly error: string }>()
      for (const { error, stream } of skipped) {
        const storable = Storable.storableError(error)
        const location = Storable.location(error)
        located.set(JSON.stringify([stream, location]), {
          stream,
          location,
          error: JSON.stringify(encodeError(storable))
        })
      }
      for (const chunk of inChunks([...located.values()], 200)) {
        yield* sql`INSERT INTO skipped_rows ${sql.insert(
          Arr.map(chunk, (row) => ({
            source,
            stream: row.stream,
            location: row.location,
            observed_at: now,
            error: row.error
          }))
        )} ON CONFLICT (source, stream, location) DO NOTHING`
      }
      for (const { state, stream } of newCheckpoints) {
        yield* sql`INSERT INTO source_checkpoints ${sql.insert({
          source,
          stream,
          state: Feed.stableJson(state),
          updated_at: now
        })} ON CONFLICT (source, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
      }
      return written
    },
    (effect) => sql.withTransaction(effect)
  )

  return { checkpoints, write }
})
