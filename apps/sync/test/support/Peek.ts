/**
 * Reads a store the way an outside program would, while another process writes it: SQLite read-only,
 * PostgreSQL through its own connection. For tests that watch a child process.
 */
import { PgClient } from "@effect/sql-pg"
import { Feed } from "@electfeed/core"
import { Effect, Redacted, Schema } from "effect"
import { SqlClient } from "effect/sql"

export interface Where {
  readonly url: string
  readonly schema?: string | undefined
}

const query = async <A extends object>(where: Where, text: string): Promise<ReadonlyArray<A>> => {
  if (where.url.startsWith("postgres")) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.unsafe<A>(text)
      }).pipe(
        Effect.provide(
          PgClient.layer({
            url: Redacted.make(where.url),
            ...(where.schema === undefined ? {} : { startupParameters: { search_path: where.schema } })
          })
        )
      )
    )
  }
  const { DatabaseSync } = await import("node:sqlite")
  const db = new DatabaseSync(where.url, { readOnly: true })
  try {
    return db.prepare(text).all() as unknown as ReadonlyArray<A>
  } finally {
    db.close()
  }
}

/** Rows of a source in the feed, or 0 before the store exists. */
export const countEntities = async (where: Where, source: string): Promise<number> => {
  try {
    const [row] = await query<{ n: number | string }>(
      where,
      `SELECT COUNT(*) AS n FROM feed_entities WHERE source = '${source}'`
    )
    return Number(row?.n ?? 0)
  } catch {
    return 0
  }
}

/** Every entity of a source, minus when it was observed: what two runs must agree on. */
export const entities = (where: Where, source: string) =>
  query<{ key: string; hash: string; kind: string }>(
    where,
    `SELECT key, hash, kind FROM feed_entities WHERE source = '${source}' ORDER BY key`
  ).then((rows) => rows.map((r) => `${r.kind} ${r.key} ${r.hash}`))

// SQLite keeps a checkpoint's state as JSON text.
const decodeState = Schema.decodeUnknownSync(Schema.fromJsonString(Schema.Json))

/**
 * What two runs must agree on, from every table: entities and history without their times, the rows
 * kept aside, the checkpoints.
 */
export const contents = async (where: Where) => {
  const [entities, history, skipped, checkpoints] = await Promise.all([
    query<{ source: string; key: string; hash: string }>(
      where,
      "SELECT source, key, hash FROM feed_entities ORDER BY source, key"
    ),
    query<{ source: string; key: string; hash: string }>(
      where,
      "SELECT source, key, hash FROM contest_history ORDER BY source, key, hash"
    ),
    query<{ source: string; stream: string; location: string }>(
      where,
      "SELECT source, stream, location FROM skipped_rows ORDER BY source, stream, location"
    ),
    query<{ source: string; stream: string; state: unknown }>(
      where,
      "SELECT source, stream, state FROM source_checkpoints ORDER BY source, stream"
    )
  ])
  const text = (rows: ReadonlyArray<object>) => rows.map((row) => JSON.stringify(Object.values(row)))
  return {
    entities: text(entities),
    history: text(history),
    skipped: text(skipped),
    checkpoints: checkpoints.map((c) =>
      Feed.stableJson([c.source, c.stream, typeof c.state === "string" ? decodeState(c.state) : c.state])
    )
  }
}

/** Everything the store holds, as text, to search for what must not be there. */
export const dump = async (where: Where): Promise<string> => {
  const tables = ["feed_entities", "contest_history", "source_checkpoints", "skipped_rows", "source_runs"]
  const parts = await Promise.all(
    tables.map((table) => query<Record<string, unknown>>(where, `SELECT * FROM ${table}`))
  )
  return JSON.stringify(parts)
}
