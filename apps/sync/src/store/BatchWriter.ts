/**
 * Writing one batch of a read: the events that changed, their contests' history, the entities a
 * snapshot no longer lists, the rows kept aside, the checkpoints that cover them and the outbox rows of
 * every change, in one transaction.
 *
 * What changed is decided by the database, not by reading and then writing: each event is upserted
 * with `ON CONFLICT … DO UPDATE … WHERE hash IS DISTINCT FROM excluded.hash RETURNING`, so of two
 * writers that race with the same data (on PostgreSQL, under READ COMMITTED) only the one whose row
 * changed gets it back, and only what comes back is appended to the history and the outbox. The data
 * stored before is still read first, for contests only, to tell a regression; under the source's lease
 * nobody else writes it meanwhile.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import { Compose, SourceError as Errors, Feed } from "@electfeed/core"
import { Array as Arr, DateTime, Effect, Option, Schema } from "effect"
import { SchemaJITCompiler } from "effect/schema"
import { SqlClient, SqlSchema } from "effect/sql"
import * as Entities from "./Entities.ts"
import * as Listings from "./Listings.ts"
import * as Outbox from "./Outbox.ts"
import type { Dialect, Schemas } from "./Rows.ts"
import * as Storable from "./Storable.ts"
import * as Values from "./Values.ts"

/**
 * What a batch changed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Written {
  /** The events stored, marked `added` or `changed` (and `regressed`). */
  readonly changes: ReadonlyArray<Feed.FeedEvent>
  /**
   * Entities a snapshot no longer lists, marked `removed`, with their last stored data.
   *
   * @since 0.2.0
   */
  readonly removed: ReadonlyArray<Feed.FeedEvent>
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

/** An event on its way to the store, its data and provenance written as stable JSON once. */
interface Prepared extends Outbox.Outgoing {
  readonly hash: string
}

// A source gives the events of one body the same provenance: it is written once.
const provenanceJson = new WeakMap<Feed.Provenance, string>()

const stableProvenance = (provenance: Feed.Provenance): string => {
  const known = provenanceJson.get(provenance)
  if (known !== undefined) return known
  const json = Feed.stableJson(provenance)
  provenanceJson.set(provenance, json)
  return json
}

const prepare = (event: Feed.FeedEvent): Prepared => {
  const data = Feed.stableJson(event.data)
  return {
    event,
    data,
    provenance: stableProvenance(event.provenance),
    // One-shot: a `Hash` object per event cost half as much again.
    hash: Crypto.hash("sha256", data, "hex")
  }
}

// JSON.stringify writes U+0000 and a lone surrogate as escapes, so only JSON holding such an escape (or
// a backslash followed by the same letters) needs the full check; most holds no `\u` at all, which a
// plain search tells several times faster than the pattern.
const flawedEscape = /\\u0000|\\ud[89a-f]/i
const mayBeFlawed = (json: string) => json.includes("\\u") && flawedEscape.test(json)

// The decoded side of a contest has no transformation (the schema's only one is the default of a missing
// `partyCode`), so it compiles to plain code: data that already has the decoded shape decodes to the same
// value about four times faster (the full decode was about a tenth of a SQLite write's CPU), and other
// data takes the full decode.
const ContestType = Schema.toType(Feed.ContestResult)
SchemaJITCompiler.enable(ContestType.ast)
const decodeDecoded = Schema.decodeUnknownOption(ContestType)
const decodeFull = Schema.decodeUnknownOption(Feed.ContestResult)

const decodeContest = (data: unknown): Option.Option<Feed.ContestResult> => {
  const decoded = decodeDecoded(data)
  return Option.isSome(decoded) ? decoded : decodeFull(data)
}

const historyColumns = `source, key, hash, observed_at, change, regressed, precincts_reporting, precincts_total,
  percent_reporting, source_updated_at, selections`

type HistoryRow = ReadonlyArray<string | number | null>

/**
 * `event` as the store marked it: `added` or `changed`, and `regressed` only when changed. Copied by a
 * spread, much cheaper than taking it apart with a rest pattern, unless it carries a `regressed` of its
 * own to drop.
 */
const markChange = (event: Feed.FeedEvent, change: Entities.Upserted[1]): Feed.FeedEvent => {
  if (!("regressed" in event)) return { ...event, change } as Feed.FeedEvent
  const { regressed, ...rest } = event
  return { ...rest, change, ...(change === "changed" && regressed === true ? { regressed } : {}) } as Feed.FeedEvent
}

/**
 * The writer of one store: `(source, batch)` to what changed. Runs in one transaction; the caller
 * bounds it in time.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (rows: Schemas, dialect: Dialect) {
  const sql = yield* SqlClient.SqlClient
  const listings = Listings.make()
  // The sources whose last batch found none of its events stored: a first load, whose next batch skips
  // the read of stored hashes that would only confirm it (the upsert decides what changed either way).
  // A new read of a source reads them again.
  const allNew = new Set<string>()
  const outbox = yield* Outbox.make(dialect)
  const entities = yield* Entities.make(rows, dialect)

  const findListed = SqlSchema.findAll({
    Request: Schema.Struct({ source: Schema.String, stream: Schema.String, url: Schema.String }),
    Result: rows.Key,
    execute: ({ source, stream, url }) =>
      dialect === "postgres"
        ? sql`SELECT key FROM feed_entities WHERE source = ${source} AND stream = ${stream}
              AND removed_at IS NULL AND provenance->>'url' = ${url}`
        : sql`SELECT key FROM feed_entities WHERE source = ${source} AND stream = ${stream}
              AND removed_at IS NULL AND json_extract(provenance, '$.url') = ${url}`
  })
  // Marked removed only by the writer that finds it still listed: two writers cannot both remove it.
  const markRemoved = SqlSchema.findAll({
    Request: Schema.Struct({
      source: Schema.String,
      stream: Schema.String,
      keys: Schema.NonEmptyArray(Schema.String),
      at: Schema.String
    }),
    Result: rows.Removed,
    execute: ({ at, keys, source, stream }) =>
      sql`UPDATE feed_entities SET removed_at = ${at}, last_change = 'removed'
          WHERE source = ${source} AND stream = ${stream} AND key IN ${sql.in(keys)} AND removed_at IS NULL
          RETURNING key, kind, data`
  })

  const findCheckpoints = SqlSchema.findAll({
    Request: Schema.String,
    Result: rows.Checkpoint,
    execute: (source) => sql`SELECT source, stream, state FROM source_checkpoints WHERE source = ${source}`
  })
  const storedCheckpoints = (source: string) =>
    Effect.map(findCheckpoints(source), (found) =>
      Object.fromEntries(found.map((row) => [row.stream, row.state] as const))
    )
  /** The checkpoints of `source`, read as a new read of it begins: what earlier reads listed is forgotten. */
  const checkpoints = (source: string) =>
    Effect.andThen(
      Effect.sync(() => {
        listings.reset(source)
        allNew.delete(source)
      }),
      storedCheckpoints(source)
    )

  /** The entities `completed` no longer lists, marked removed; as `removed` events with their last data. */
  const removals = Effect.fnUntraced(function* (source: string, completed: Listings.Completed, at: string) {
    const listed = yield* findListed({ source, stream: completed.stream, url: completed.url })
    const gone = listed.map((row) => row.key).filter((key) => !completed.listed.has(key))
    const removed: Array<Prepared> = []
    for (const keys of inChunks(gone, 500)) {
      for (const row of yield* markRemoved({ source, stream: completed.stream, keys, at })) {
        const event = {
          source,
          stream: completed.stream,
          kind: row.kind,
          key: row.key,
          observedAt: completed.observedAt,
          provenance: completed.provenance,
          data: row.data,
          change: "removed"
        } as Feed.FeedEvent
        removed.push(prepare(event))
      }
    }
    return removed
  })

  /** The parameters of the history row of a stored change, when it is a contest's. */
  const historyRow = (source: string, change: Prepared): HistoryRow | undefined => {
    const { event } = change
    if (event.kind !== "ContestResult") return undefined
    const contest = decodeContest(event.data)
    if (Option.isNone(contest)) return undefined
    const { reporting, selections, updatedAt } = contest.value
    return [
      source,
      event.key,
      change.hash,
      event.observedAt,
      event.change ?? "changed",
      event.regressed === true ? 1 : 0,
      reporting.precinctsReporting,
      reporting.precinctsTotal,
      reporting.percent,
      updatedAt,
      Feed.stableJson(selections)
    ]
  }

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
      const prepared: Array<Prepared> = []
      for (const event of latest.values()) {
        // Listed, whether or not it can be kept: a body that lists it did not drop it.
        listings.listed(source, event)
        if (!(Storable.isStorable(event.key) && Storable.isStorable(event.stream)) && keepAside(event)) continue
        const ready = prepare(event)
        if ((mayBeFlawed(ready.data) || mayBeFlawed(ready.provenance)) && keepAside(event)) continue
        prepared.push(ready)
      }
      // Events whose data is stored already are left out with one cheap read (equal data is unchanged,
      // whoever stored it); among the rest, the upsert decides what changed. In a first load the read
      // finds nothing, and is skipped: every contest is then looked up for its stored data instead.
      const lookUp = !allNew.has(source)
      const hashes = lookUp
        ? yield* entities.hashes(
            source,
            prepared.map(({ event }) => event.key)
          )
        : new Map<string, never>()
      const candidates = prepared.filter(({ event, hash }) => hashes.get(event.key) !== hash)
      const contests = candidates
        .filter(({ event }) => event.kind === "ContestResult" && (!lookUp || hashes.has(event.key)))
        .map(({ event }) => event.key)
      const before: ReadonlyMap<string, Compose.Known> = yield* entities.known(source, contests)
      const marked = new Map<string, Prepared>()
      for (const ready of candidates) {
        const previous = before.get(ready.event.key)
        const regressed =
          previous !== undefined && Option.getOrUndefined(Compose.difference(previous, ready.event))?.regressed === true
        marked.set(ready.event.key, regressed ? { ...ready, event: { ...ready.event, regressed } } : ready)
      }
      const now = DateTime.formatIso(yield* DateTime.now)
      const changes: Array<Prepared> = []
      const returned = yield* entities.upsert(
        source,
        Array.from(marked.values(), ({ data, event, hash, provenance }) => ({
          key: event.key,
          stream: event.stream,
          kind: event.kind,
          hash,
          data,
          provenance,
          observed_at: event.observedAt,
          regressed: event.regressed === true ? 1 : 0
        }))
      )
      for (const row of returned) {
        const ready = marked.get(row[0])!
        changes.push({ ...ready, event: markChange(ready.event, row[1]) })
      }
      if (prepared.length > 0) {
        const foundStored =
          hashes.size > 0 ||
          before.size > 0 ||
          returned.length < marked.size ||
          returned.some((row) => row[1] === "changed")
        if (foundStored) allNew.delete(source)
        else allNew.add(source)
      }
      const stored = batch.checkpoints.length === 0 ? {} : yield* storedCheckpoints(source)
      const removed: Array<Prepared> = []
      const previous: Record<string, Schema.Json | undefined> = { ...stored }
      for (const { state, stream } of batch.checkpoints) {
        for (const completed of listings.complete(source, stream, previous[stream], state)) {
          removed.push(...(yield* removals(source, completed, now)))
        }
        previous[stream] = state
      }
      const history: Array<HistoryRow> = []
      for (const change of [...changes, ...removed]) {
        const row = historyRow(source, change)
        if (row !== undefined) history.push(row)
      }
      for (const chunk of inChunks(history, 200)) {
        yield* sql.unsafe(
          `INSERT INTO contest_history (${historyColumns}) VALUES ${Values.placeholders(dialect, chunk.length, 11)}`,
          chunk.flat()
        )
      }
      // A checkpoint the store cannot keep is left out: the next read starts from the one before it.
      const newCheckpoints = batch.checkpoints
        .filter(({ state }) => Storable.findFlaw(state) === undefined)
        .map(({ state, stream }) => ({ stream: Storable.escapeFlaws(stream), state }))
        .filter(({ state, stream }) => Feed.stableJson(stored[stream]) !== Feed.stableJson(state))
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
      yield* outbox.append(source, [...changes, ...removed], now)
      return {
        changes: changes.map((change) => change.event),
        removed: removed.map((change) => change.event),
        unchanged: prepared.length - changes.length,
        skipped: skipped.length
      } satisfies Written
    },
    (effect) => sql.withTransaction(effect)
  )

  return { checkpoints, write }
})
