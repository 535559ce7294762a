/**
 * The statements a batch reads and writes its entity rows with.
 *
 * On PostgreSQL each key is looked up through the primary key, one by one, in a nested loop the planner
 * cannot turn into anything else (`OFFSET 0` keeps the subquery apart): a planner left without current
 * statistics otherwise may filter the whole table through another index for each lookup, and a load
 * slows as the table grows. A batch's rows go as one array parameter per column, unnested on the
 * server: a statement of a few parameters is planned in no time, where a multi-row `VALUES` of 10,000
 * parameters was planned anew for each chunk; and each JSON value is still parsed once, where a batch
 * sent as one JSON document (`jsonb_to_recordset`) was measured slower.
 *
 * SQLite plans a multi-row `VALUES` cheaply, and takes it as it comes. Its statements' texts are made
 * once per chunk size (see `Values`), not compiled from a template for each chunk.
 *
 * @since 0.2.0
 */
import { Effect, Schema } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import type { Dialect, Schemas } from "./Rows.ts"
import * as Values from "./Values.ts"

/**
 * An entity row on its way to the store, its data and provenance as stable JSON.
 *
 * @since 0.2.0
 * @category models
 */
export interface EntityRow {
  readonly key: string
  readonly stream: string
  readonly kind: string
  readonly hash: string
  readonly data: string
  readonly provenance: string
  readonly observed_at: string
  readonly regressed: number
}

/**
 * A row the upsert wrote, as it comes back: its key, and whether it was `added` or `changed`.
 *
 * @since 0.2.0
 * @category models
 */
export type Upserted = Schemas["Upserted"]["Type"]

/** A stored row's key and hash, as the lookup hands them back. */
type Hashed = Schemas["Hash"]["Type"]

const isHashed = (row: unknown): boolean =>
  Array.isArray(row) && row.length === 2 && typeof row[0] === "string" && typeof row[1] === "string"

const isUpserted = (row: unknown): boolean =>
  Array.isArray(row) && row.length === 2 && typeof row[0] === "string" && (row[1] === "added" || row[1] === "changed")

/** At most this many keys go in one lookup, and rows in one insert. */
const chunkSize = {
  postgres: { keys: 1000, rows: 1000 },
  sqlite: { keys: 500, rows: 200 }
} as const

const inChunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * What the entity statements do.
 *
 * @since 0.2.0
 * @category models
 */
export interface EntityStatements {
  /** The stored hash of each of `keys` still listed, by key. */
  readonly hashes: (
    source: string,
    keys: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, string>, SqlError.SqlError | Schema.SchemaError>
  /** The stored hash and data of each of `keys` still listed. */
  readonly known: (
    source: string,
    keys: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, Schemas["Known"]["Type"]>, SqlError.SqlError | Schema.SchemaError>
  /** Writes `entities`; hands back those the store found new or changed. */
  readonly upsert: (
    source: string,
    entities: ReadonlyArray<EntityRow>
  ) => Effect.Effect<ReadonlyArray<Upserted>, SqlError.SqlError | Schema.SchemaError>
}

/**
 * The entity statements of one store.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: (rows: Schemas, dialect: Dialect) => Effect.Effect<EntityStatements, never, SqlClient.SqlClient> =
  Effect.fnUntraced(function* (
    rows: Schemas,
    dialect: Dialect
  ): Effect.fn.Return<EntityStatements, never, SqlClient.SqlClient> {
    const sql = yield* SqlClient.SqlClient
    const postgres = dialect === "postgres"
    const size = chunkSize[dialect]
    const decodeHashes = Schema.decodeUnknownEffect(Schema.Array(rows.Hash))
    const decodeKnown = Schema.decodeUnknownEffect(Schema.Array(rows.Known))
    const decodeUpserted = Schema.decodeUnknownEffect(Schema.Array(rows.Upserted))

    const select = (columns: "key, hash" | "key, hash, data", source: string, keys: ReadonlyArray<string>) =>
      postgres
        ? sql.unsafe(
            `SELECT ${columns.replace(/(\w+)/g, "e.$1")} FROM unnest($1::text[]) AS k(key)
            CROSS JOIN LATERAL (SELECT ${columns} FROM feed_entities
              WHERE source = $2 AND key = k.key AND removed_at IS NULL OFFSET 0) AS e`,
            [keys, source]
          )
        : sql.unsafe(
            `SELECT ${columns} FROM feed_entities
            WHERE source = ? AND key IN ${Values.placeholders(dialect, 1, keys.length)} AND removed_at IS NULL`,
            [source, ...keys]
          )
    // One chunk after another: a connection runs one statement at a time anyway.
    const inTurn = <A, B, E>(
      items: ReadonlyArray<A>,
      perChunk: number,
      run: (chunk: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<B>, E>
    ) => Effect.map(Effect.forEach(inChunks(items, perChunk), run, { concurrency: 1 }), (found) => found.flat())

    // Only a row whose data changed, or that comes back after it was removed, is written and handed back.
    const onConflict = `ON CONFLICT (source, key) DO UPDATE SET
      stream = excluded.stream, kind = excluded.kind, hash = excluded.hash, data = excluded.data,
      provenance = excluded.provenance, observed_at = excluded.observed_at, regressed = excluded.regressed,
      removed_at = NULL,
      last_change = CASE WHEN feed_entities.removed_at IS NULL THEN 'changed' ELSE 'added' END
    WHERE feed_entities.hash IS DISTINCT FROM excluded.hash OR feed_entities.removed_at IS NOT NULL
    RETURNING key, last_change`
    const columns = "source, key, stream, kind, hash, data, provenance, observed_at, first_seen_at, regressed"
    const upsertChunk = (source: string, chunk: ReadonlyArray<EntityRow>) => {
      if (postgres) {
        const column = <K extends keyof EntityRow>(name: K) => chunk.map((row) => row[name])
        return sql.unsafe(
          `INSERT INTO feed_entities (${columns})
        SELECT $1::text, r.key, r.stream, r.kind, r.hash, r.data::jsonb, r.provenance::jsonb,
          r.observed_at::timestamptz, r.observed_at::timestamptz, r.regressed
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
          $9::integer[]) AS r(key, stream, kind, hash, data, provenance, observed_at, regressed)
        ${onConflict}`,
          [
            source,
            column("key"),
            column("stream"),
            column("kind"),
            column("hash"),
            column("data"),
            column("provenance"),
            column("observed_at"),
            column("regressed")
          ]
        )
      }
      const params: Array<string | number> = []
      for (const row of chunk) {
        params.push(source, row.key, row.stream, row.kind, row.hash, row.data, row.provenance, row.observed_at)
        params.push(row.observed_at, row.regressed)
      }
      return sql.unsafe(
        `INSERT INTO feed_entities (${columns}) VALUES ${Values.placeholders(dialect, chunk.length, 10)} ${onConflict}`,
        params
      )
    }
    // What the upsert and the hash lookup hand back comes as arrays, which node:sqlite builds in half the
    // time of row objects, and is checked plainly; the schema runs only to tell what is wrong.
    const upserted = (found: ReadonlyArray<unknown>) =>
      found.every(isUpserted) ? Effect.succeed(found as ReadonlyArray<Upserted>) : decodeUpserted(found)
    const hashed = (found: ReadonlyArray<unknown>) =>
      found.every(isHashed) ? Effect.succeed(found as ReadonlyArray<Hashed>) : decodeHashes(found)

    return {
      hashes: (source, keys) =>
        Effect.map(
          inTurn(keys, size.keys, (chunk) => Effect.flatMap(select("key, hash", source, chunk).values, hashed)),
          (found) => new Map(found)
        ),
      known: (source, keys) =>
        Effect.map(
          inTurn(keys, size.keys, (chunk) => Effect.flatMap(select("key, hash, data", source, chunk), decodeKnown)),
          (found) => new Map(found.map((row) => [row.key, row] as const))
        ),
      upsert: (source, entities) =>
        inTurn(entities, size.rows, (chunk) => Effect.flatMap(upsertChunk(source, chunk).values, upserted))
    }
  })
