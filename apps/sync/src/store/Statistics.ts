/**
 * Keeping PostgreSQL's statistics current while a store grows. The planner chooses plans from
 * statistics only `ANALYZE` updates; autovacuum runs it, but may be off on a server, and a first load of
 * a million events outruns it anyway. A planner that still believes a table empty can choose a plan
 * that reads it whole for each batch, and a load then slows as the table grows (the write path's own
 * lookups do not depend on it, see `Entities`, but the store's other queries and an app's do).
 *
 * So a writer analyzes the tables it grows whenever it has stored half again as many rows as they held
 * when last analyzed (and at least `minimum`): a million-event load is analyzed a dozen times. Only the
 * columns queries filter and join on are analyzed, from a sample of 3,000 rows (statistics target 10)
 * rather than 30,000: the large JSON columns made each analysis take seconds, growing with the table,
 * and plans on these columns need no finer statistics. Autovacuum, where it runs, refines them later.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { Dialect } from "./Rows.ts"

/** Rows written before the first analysis: a small table is planned well without one. */
const minimum = 10_000

/** How much the tables grow, relative to their size, before they are analyzed again. */
const growth = 0.5

/**
 * The statistics keeper of one store: `written(n)` after each batch that stored `n` changes.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (dialect: Dialect) {
  const sql = yield* SqlClient.SqlClient
  /** The rows of the entity table at the last analysis, as its statistics say; read on first use. */
  let analyzed: number | undefined
  let since = 0
  const sizeAtLastAnalysis = Effect.map(
    sql<{ readonly n: unknown }>`SELECT GREATEST(reltuples, 0)::float8 AS n FROM pg_class
      WHERE oid = 'feed_entities'::regclass`,
    (found) => Number(found[0]?.n ?? 0)
  )
  const written = Effect.fnUntraced(function* (changes: number) {
    if (dialect !== "postgres" || changes === 0) return
    analyzed ??= yield* sizeAtLastAnalysis
    since += changes
    if (since < Math.max(minimum, analyzed * growth)) return
    const size = analyzed + since
    since = 0
    analyzed = size
    yield* sql.withTransaction(
      Effect.andThen(
        sql`SET LOCAL default_statistics_target = 10`,
        sql`ANALYZE feed_entities (source, key, stream, kind, removed_at),
          feed_changes (seq, source, kind, committed_at), contest_history (source, key, id)`
      )
    )
  })
  return { written }
})
