/**
 * The store's schema: one set of migrations for SQLite and PostgreSQL. Where the two differ (JSON,
 * timestamps, identity columns), each gets its native type, so PostgreSQL users can query `jsonb` and
 * `timestamptz` directly.
 *
 * @since 0.1.0
 */
import { SourceError } from "@electfeed/core"
import { Effect, Option, Schema } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import * as Storable from "./Storable.ts"

const ddl = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  return {
    sql,
    json: pg ? "jsonb" : "text",
    time: pg ? "timestamptz" : "text",
    id: pg ? "bigint generated always as identity primary key" : "integer primary key autoincrement"
  }
})

const createFeed = Effect.gen(function* () {
  const { sql, json, time, id } = yield* ddl
  // The current state of every entity of the feed, by source and key.
  yield* sql.unsafe(`CREATE TABLE feed_entities (
    source text NOT NULL,
    key text NOT NULL,
    stream text NOT NULL,
    kind text NOT NULL,
    hash text NOT NULL,
    data ${json} NOT NULL,
    provenance ${json} NOT NULL,
    observed_at ${time} NOT NULL,
    first_seen_at ${time} NOT NULL,
    regressed integer NOT NULL DEFAULT 0,
    PRIMARY KEY (source, key)
  )`)
  yield* sql.unsafe(`CREATE INDEX feed_entities_kind ON feed_entities (source, kind)`)
  // Every change of a contest: a time series of its counts.
  yield* sql.unsafe(`CREATE TABLE contest_history (
    id ${id},
    source text NOT NULL,
    key text NOT NULL,
    hash text NOT NULL,
    observed_at ${time} NOT NULL,
    change text NOT NULL,
    regressed integer NOT NULL,
    precincts_reporting integer NOT NULL,
    precincts_total integer NOT NULL,
    percent_reporting double precision NOT NULL,
    source_updated_at text,
    selections ${json} NOT NULL
  )`)
  yield* sql.unsafe(`CREATE INDEX contest_history_key ON contest_history (source, key, id)`)
  // Where each stream of each source stands, written with the data it covers.
  yield* sql.unsafe(`CREATE TABLE source_checkpoints (
    source text NOT NULL,
    stream text NOT NULL,
    state ${json} NOT NULL,
    updated_at ${time} NOT NULL,
    PRIMARY KEY (source, stream)
  )`)
  // Rows a source reported as malformed and skipped: kept, with where they were, so nothing is lost.
  yield* sql.unsafe(`CREATE TABLE skipped_rows (
    id ${id},
    source text NOT NULL,
    observed_at ${time} NOT NULL,
    error ${json} NOT NULL
  )`)
  // How the last runs of each source went.
  yield* sql.unsafe(`CREATE TABLE source_runs (
    source text PRIMARY KEY,
    last_run_at ${time} NOT NULL,
    last_success_at ${time},
    last_error ${json},
    last_error_at ${time}
  )`)
})

const decodeStoredError = Schema.decodeUnknownOption(Schema.fromJsonString(SourceError.DecodeError))

// A skipped row is kept once per place: a rerun from the previous checkpoint reads it again. The
// `stream` is the event's for an event the store could not keep, "" for a row the source reported.
const locateSkippedRows = Effect.gen(function* () {
  const { sql } = yield* ddl
  yield* sql.unsafe(`ALTER TABLE skipped_rows ADD COLUMN stream text NOT NULL DEFAULT ''`)
  yield* sql.unsafe(`ALTER TABLE skipped_rows ADD COLUMN location text NOT NULL DEFAULT ''`)
  const kept = yield* sql<{ id: number | bigint | string; error: unknown }>`SELECT id, error FROM skipped_rows`
  for (const row of kept) {
    const text = typeof row.error === "string" ? row.error : JSON.stringify(row.error)
    // A row that cannot be read back keeps a place of its own.
    const location = Option.match(decodeStoredError(text), {
      onNone: () => `row ${String(row.id)}`,
      onSome: Storable.location
    })
    yield* sql`UPDATE skipped_rows SET location = ${location} WHERE id = ${row.id}`
  }
  yield* sql.unsafe(`DELETE FROM skipped_rows WHERE id NOT IN (
    SELECT MIN(id) FROM skipped_rows GROUP BY source, stream, location
  )`)
  yield* sql.unsafe(`CREATE UNIQUE INDEX skipped_rows_location ON skipped_rows (source, stream, location)`)
})

// Who writes each source now (see Lease.ts).
const createLeases = Effect.gen(function* () {
  const { sql, time } = yield* ddl
  yield* sql.unsafe(`CREATE TABLE source_leases (
    source text PRIMARY KEY,
    holder text NOT NULL,
    expires_at ${time} NOT NULL
  )`)
})

// The store as a change feed (see Changes.ts): an outbox of every stored change with a store-wide `seq`,
// and entities that a snapshot no longer lists kept as removed (with their last data) rather than deleted,
// so a consumer that asks later still sees what they were. `last_change` is what the last write did to
// the row, handed back by the write itself (`RETURNING`), so the store, not the writer, decides it.
const createChanges = Effect.gen(function* () {
  const { sql, json, time, id } = yield* ddl
  yield* sql.unsafe(`ALTER TABLE feed_entities ADD COLUMN removed_at ${time}`)
  yield* sql.unsafe(`ALTER TABLE feed_entities ADD COLUMN last_change text NOT NULL DEFAULT 'added'`)
  yield* sql.unsafe(`CREATE INDEX feed_entities_stream ON feed_entities (source, stream)`)
  yield* sql.unsafe(`CREATE TABLE feed_changes (
    seq ${id},
    source text NOT NULL,
    stream text NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    change text NOT NULL,
    regressed integer NOT NULL,
    observed_at ${time} NOT NULL,
    committed_at ${time} NOT NULL,
    event ${json} NOT NULL
  )`)
  yield* sql.unsafe(`CREATE INDEX feed_changes_committed ON feed_changes (committed_at)`)
})

/**
 * The migrations by id and name, in order.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations = {
  "0001_create_feed": createFeed,
  "0002_locate_skipped_rows": locateSkippedRows,
  "0003_create_leases": createLeases,
  "0004_create_changes": createChanges
}

/**
 * The migrations, for `Migrator`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const loader = Migrator.fromRecord(migrations)

/**
 * Where the migrations run are recorded.
 *
 * @since 0.1.0
 * @category migrations
 */
export const table = "electfeed_migrations"

/**
 * Brings a database up to the latest schema; safe to run on every start.
 *
 * @since 0.1.0
 * @category migrations
 */
export const run = Migrator.make({})({ loader, table })
