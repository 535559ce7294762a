/**
 * How each source stands (its last runs, what is stored of it), and the stored feed read back.
 *
 * @since 0.1.0
 */
import type { SourceError as Errors, Feed } from "@electfeed/core"
import { DateTime, Effect, Schema } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import type { LeaseBusy } from "./Lease.ts"
import type { Schemas } from "./Rows.ts"

/**
 * How a source stands.
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceStatus {
  readonly source: string
  readonly lastRunAt: string | undefined
  readonly lastSuccessAt: string | undefined
  readonly lastError: { readonly at: string; readonly message: string } | undefined
  readonly entities: number
  readonly skippedRows: number
  readonly checkpoints: Readonly<Record<string, Schema.Json>>
}

/**
 * An entity as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredEntity {
  readonly source: string
  readonly key: string
  readonly stream: string
  readonly kind: string
  readonly hash: string
  readonly data: unknown
  readonly observedAt: string
  readonly regressed: boolean
}

/**
 * One change of a contest.
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryRow {
  readonly observedAt: string
  readonly change: string
  readonly regressed: boolean
  readonly precinctsReporting: number
  readonly precinctsTotal: number
  readonly percentReporting: number
  readonly selections: ReadonlyArray<Feed.Selection>
}

/**
 * How one run of a source ended: when, and its error if it failed.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOutcome {
  readonly at: DateTime.Utc
  readonly error?: Errors.SourceError | LeaseBusy
}

/**
 * The status queries of one store. Failures are the SQL client's: the store bounds and words them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (rows: Schemas) {
  const sql = yield* SqlClient.SqlClient
  const none = Schema.Void

  const recordRun = (source: string, outcome: RunOutcome) => {
    const at = DateTime.formatIso(outcome.at)
    const row =
      outcome.error === undefined
        ? { source, last_run_at: at, last_success_at: at, last_error: null, last_error_at: null }
        : {
            source,
            last_run_at: at,
            last_success_at: null,
            last_error: JSON.stringify({ tag: outcome.error._tag, message: outcome.error.message }),
            last_error_at: at
          }
    const update =
      outcome.error === undefined
        ? sql`last_run_at = excluded.last_run_at, last_success_at = excluded.last_success_at`
        : sql`last_run_at = excluded.last_run_at, last_error = excluded.last_error, last_error_at = excluded.last_error_at`
    return sql`INSERT INTO source_runs ${sql.insert(row)} ON CONFLICT (source) DO UPDATE SET ${update}`.pipe(
      Effect.asVoid
    )
  }

  const runs = SqlSchema.findAll({ Request: none, Result: rows.Run, execute: () => sql`SELECT * FROM source_runs` })
  const entityCounts = SqlSchema.findAll({
    Request: none,
    Result: rows.Count,
    execute: () => sql`SELECT source, COUNT(*) AS n FROM feed_entities WHERE removed_at IS NULL GROUP BY source`
  })
  const skippedCounts = SqlSchema.findAll({
    Request: none,
    Result: rows.Count,
    execute: () => sql`SELECT source, COUNT(*) AS n FROM skipped_rows GROUP BY source`
  })
  const allCheckpoints = SqlSchema.findAll({
    Request: none,
    Result: rows.Checkpoint,
    execute: () => sql`SELECT source, stream, state FROM source_checkpoints`
  })

  const status = Effect.gen(function* () {
    const [ran, counted, skips, points] = yield* Effect.all([
      runs(undefined),
      entityCounts(undefined),
      skippedCounts(undefined),
      allCheckpoints(undefined)
    ])
    const sources = new Set([...ran.map((r) => r.source), ...counted.map((c) => c.source)])
    return [...sources].sort().map((source): SourceStatus => {
      const run = ran.find((r) => r.source === source)
      return {
        source,
        lastRunAt: run?.last_run_at,
        lastSuccessAt: run?.last_success_at ?? undefined,
        lastError:
          run?.last_error == null
            ? undefined
            : { at: run.last_error_at ?? run.last_run_at, message: run.last_error.message },
        entities: counted.find((c) => c.source === source)?.n ?? 0,
        skippedRows: skips.find((c) => c.source === source)?.n ?? 0,
        checkpoints: Object.fromEntries(
          points.filter((p) => p.source === source).map((p) => [p.stream, p.state] as const)
        )
      }
    })
  })

  const findEntities = SqlSchema.findAll({
    Request: Schema.Struct({ source: Schema.String, kind: Schema.optionalKey(Schema.String) }),
    Result: rows.Entity,
    execute: ({ kind, source }) =>
      kind === undefined
        ? sql`SELECT * FROM feed_entities WHERE source = ${source} AND removed_at IS NULL ORDER BY key`
        : sql`SELECT * FROM feed_entities WHERE source = ${source} AND kind = ${kind} AND removed_at IS NULL ORDER BY key`
  })
  const entities = (source: string, kind?: string) =>
    Effect.map(findEntities(kind === undefined ? { source } : { source, kind }), (found) =>
      found.map(
        (row): StoredEntity => ({
          source: row.source,
          key: row.key,
          stream: row.stream,
          kind: row.kind,
          hash: row.hash,
          data: row.data,
          observedAt: row.observed_at,
          regressed: row.regressed
        })
      )
    )

  const findHistory = SqlSchema.findAll({
    Request: Schema.Struct({ source: Schema.String, key: Schema.String }),
    Result: rows.History,
    execute: ({ key, source }) =>
      sql`SELECT * FROM contest_history WHERE source = ${source} AND key = ${key} ORDER BY id`
  })
  const history = (source: string, key: string) =>
    Effect.map(findHistory({ source, key }), (found) =>
      found.map(
        (row): HistoryRow => ({
          observedAt: row.observed_at,
          change: row.change,
          regressed: row.regressed,
          precinctsReporting: row.precincts_reporting,
          precinctsTotal: row.precincts_total,
          percentReporting: row.percent_reporting,
          selections: row.selections
        })
      )
    )

  const findSkipped = SqlSchema.findAll({
    Request: Schema.String,
    Result: rows.Skipped,
    execute: (source) => sql`SELECT error FROM skipped_rows WHERE source = ${source} ORDER BY id`
  })
  const skipped = (source: string) => Effect.map(findSkipped(source), (found) => found.map((row) => row.error))

  return { recordRun, status, entities, history, skipped }
})
