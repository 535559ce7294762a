/**
 * Where the feed is kept: SQLite by default (a file), PostgreSQL in production (by URL).
 *
 * The store holds the current state of every entity by source and key, the history of every change of
 * a contest, the rows sources reported as malformed, each stream's checkpoint, and how the last runs went.
 * A batch of a read is written in one transaction together with the checkpoints that cover it, so a
 * process killed at any moment leaves the store at a checkpoint. Writes are idempotent by key: an event
 * whose data is unchanged writes nothing.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Compose, SourceError as Errors, Feed } from "@electfeed/core"
import { Array as Arr, Cause, Context, DateTime, Effect, Layer, Option, Redacted, Schema } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import * as Migrations from "./Migrations.ts"
import * as Sqlite from "./SqliteClient.ts"

/**
 * The store cannot be opened, migrated, read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `store: ${this.detail}`
  }
}

/**
 * Where to keep the feed.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreOptions {
  /** `postgres://…` for PostgreSQL; anything else is a SQLite file path (a `sqlite:` prefix is allowed). */
  readonly url: string
  /** PostgreSQL schema to use (created when missing). */
  readonly schema?: string | undefined
}

/**
 * A store location fit for messages: a PostgreSQL password is masked.
 *
 * @since 0.1.0
 * @category models
 */
export const describe = (url: string): string => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, "$1:***@")

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url)

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

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value))
const optionalIso = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : iso(value)

const inChunks = <A>(items: ReadonlyArray<A>, size: number): Array<Arr.NonEmptyReadonlyArray<A>> => {
  const out: Array<Arr.NonEmptyReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size) as unknown as Arr.NonEmptyReadonlyArray<A>)
  return out
}

const fail = (what: string) => (error: SqlError.SqlError) => new StoreError({ detail: `${what}: ${error.message}` })

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const dialect = sql.onDialectOrElse({ pg: () => "postgres" as const, orElse: () => "sqlite" as const })

  const known = (source: string, keys: ReadonlyArray<string>) =>
    Effect.forEach(
      inChunks(keys, 500),
      (chunk) => sql<{ key: string; hash: string; data: unknown }>`
        SELECT key, hash, data FROM feed_entities WHERE source = ${source} AND key IN ${sql.in(chunk)}`,
      { concurrency: 1 }
    ).pipe(Effect.map((rows) => new Map(rows.flat().map((row) => [row.key, { hash: row.hash, data: json(row.data) }]))))

  const checkpoints = (source: string) =>
    sql<{ stream: string; state: unknown }>`SELECT stream, state FROM source_checkpoints WHERE source = ${source}`.pipe(
      Effect.map((rows) => Object.fromEntries(rows.map((row) => [row.stream, json(row.state) as Schema.Json]))),
      Effect.mapError(fail(`cannot read the checkpoints of ${source}`))
    )

  const writeBatch = (source: string, batch: Batch) =>
    Effect.gen(function* () {
      const latest = new Map<string, Feed.FeedEvent>()
      for (const event of batch.events) latest.set(event.key, event)
      const before = yield* known(source, [...latest.keys()])
      const changes: Array<Feed.FeedEvent> = []
      for (const event of latest.values()) {
        const difference = Compose.difference(before.get(event.key), event)
        if (Option.isSome(difference)) changes.push(Compose.mark(event, difference.value))
      }
      const storedCheckpoints = batch.checkpoints.length === 0 ? {} : yield* checkpoints(source)
      const newCheckpoints = batch.checkpoints.filter(
        ({ stream, state }) => Feed.stableJson(storedCheckpoints[stream]) !== Feed.stableJson(state)
      )
      if (changes.length === 0 && batch.skipped.length === 0 && newCheckpoints.length === 0) {
        return { changes, unchanged: latest.size, skipped: 0 } satisfies Written
      }
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
      for (const chunk of inChunks(batch.skipped, 200)) {
        yield* sql`INSERT INTO skipped_rows ${sql.insert(
          Arr.map(chunk, (error) => ({
            source,
            observed_at: now,
            error: JSON.stringify(Schema.encodeSync(Errors.SourceError)(error))
          }))
        )}`
      }
      for (const { state, stream } of newCheckpoints) {
        yield* sql`INSERT INTO source_checkpoints ${sql.insert({
          source,
          stream,
          state: Feed.stableJson(state),
          updated_at: now
        })} ON CONFLICT (source, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
      }
      return { changes, unchanged: latest.size - changes.length, skipped: batch.skipped.length } satisfies Written
    }).pipe(
      sql.withTransaction,
      Effect.mapError((error) =>
        error._tag === "StoreError" ? error : fail(`cannot store a batch of ${source}`)(error)
      ),
      // A signal stops the app after the transaction in flight, never in the middle of one.
      Effect.uninterruptible
    )

  const recordRun = (source: string, outcome: { readonly at: DateTime.Utc; readonly error?: Errors.SourceError }) => {
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
      Effect.asVoid,
      Effect.mapError(fail(`cannot record the run of ${source}`))
    )
  }

  const status = Effect.gen(function* () {
    const runs = yield* sql<Record<string, unknown>>`SELECT * FROM source_runs`
    const counts = yield* sql<{ source: string; n: number | string }>`
      SELECT source, COUNT(*) AS n FROM feed_entities GROUP BY source`
    const skips = yield* sql<{ source: string; n: number | string }>`
      SELECT source, COUNT(*) AS n FROM skipped_rows GROUP BY source`
    const points = yield* sql<{ source: string; stream: string; state: unknown }>`
      SELECT source, stream, state FROM source_checkpoints`
    const sources = new Set([...runs.map((r) => String(r["source"])), ...counts.map((c) => c.source)])
    return [...sources].sort().map((source): SourceStatus => {
      const run = runs.find((r) => r["source"] === source)
      const error =
        run?.["last_error"] === null || run?.["last_error"] === undefined
          ? undefined
          : (json(run["last_error"]) as { message: string })
      return {
        source,
        lastRunAt: optionalIso(run?.["last_run_at"]),
        lastSuccessAt: optionalIso(run?.["last_success_at"]),
        lastError: error === undefined ? undefined : { at: iso(run!["last_error_at"]), message: error.message },
        entities: Number(counts.find((c) => c.source === source)?.n ?? 0),
        skippedRows: Number(skips.find((c) => c.source === source)?.n ?? 0),
        checkpoints: Object.fromEntries(
          points.filter((p) => p.source === source).map((p) => [p.stream, json(p.state) as Schema.Json])
        )
      }
    })
  }).pipe(Effect.mapError(fail("cannot read the status")))

  const entities = (source: string, kind?: string) =>
    (kind === undefined
      ? sql<Record<string, unknown>>`SELECT * FROM feed_entities WHERE source = ${source} ORDER BY key`
      : sql<
          Record<string, unknown>
        >`SELECT * FROM feed_entities WHERE source = ${source} AND kind = ${kind} ORDER BY key`
    ).pipe(
      Effect.map((rows) =>
        rows.map(
          (row): StoredEntity => ({
            source: String(row["source"]),
            key: String(row["key"]),
            stream: String(row["stream"]),
            kind: String(row["kind"]),
            hash: String(row["hash"]),
            data: json(row["data"]),
            observedAt: iso(row["observed_at"]),
            regressed: Number(row["regressed"]) === 1
          })
        )
      ),
      Effect.mapError(fail(`cannot read the entities of ${source}`))
    )

  const history = (source: string, key: string) =>
    sql<Record<string, unknown>>`
      SELECT * FROM contest_history WHERE source = ${source} AND key = ${key} ORDER BY id`.pipe(
      Effect.map((rows) =>
        rows.map(
          (row): HistoryRow => ({
            observedAt: iso(row["observed_at"]),
            change: String(row["change"]),
            regressed: Number(row["regressed"]) === 1,
            precinctsReporting: Number(row["precincts_reporting"]),
            precinctsTotal: Number(row["precincts_total"]),
            percentReporting: Number(row["percent_reporting"]),
            selections: json(row["selections"]) as ReadonlyArray<Feed.Selection>
          })
        )
      ),
      Effect.mapError(fail(`cannot read the history of ${key}`))
    )

  const skipped = (source: string) =>
    sql<{ error: unknown }>`SELECT error FROM skipped_rows WHERE source = ${source} ORDER BY id`.pipe(
      Effect.map((rows) => rows.map((row) => Schema.decodeUnknownSync(Errors.SourceError)(json(row.error)))),
      Effect.mapError(fail(`cannot read the skipped rows of ${source}`))
    )

  return {
    dialect,
    checkpoints,
    write: writeBatch,
    recordRun,
    status,
    entities,
    history,
    skipped
  }
})

/**
 * The store service.
 *
 * @since 0.1.0
 * @category services
 */
export class Store extends Context.Service<Store, Effect.Success<typeof make>>()("@electfeed/sync/Store") {
  /**
   * Opens the store at `options.url`, creating and migrating it when needed. The `SqlClient` comes with
   * it, for queries of an app's own.
   */
  static readonly layer = (options: StoreOptions): Layer.Layer<Store | SqlClient.SqlClient, StoreError> =>
    Layer.effect(
      Store,
      Effect.gen(function* () {
        yield* Migrations.run.pipe(
          Effect.mapError((error) => new StoreError({ detail: `cannot migrate: ${error.message}` }))
        )
        return yield* make
      })
    ).pipe(Layer.provideMerge(clientLayer(options)))
}

const clientLayer = (options: StoreOptions): Layer.Layer<SqlClient.SqlClient, StoreError> => {
  const where = describe(options.url)
  const opened = <E>(layer: Layer.Layer<SqlClient.SqlClient, E>): Layer.Layer<SqlClient.SqlClient, StoreError> =>
    Layer.catchCause(layer, (cause) =>
      Layer.effect(
        SqlClient.SqlClient,
        Effect.fail(new StoreError({ detail: `cannot open ${where}: ${Cause.pretty(cause).split("\n")[0]}` }))
      )
    )
  if (isPostgres(options.url)) {
    const schema = options.schema
    const pg = PgClient.layer({
      url: Redacted.make(options.url),
      applicationName: "electfeed",
      startupParameters: {
        // The key lookups are prepared statements; a plan cached while a table was still empty would
        // scan it whole ever after, making each batch slower than the last.
        plan_cache_mode: "force_custom_plan",
        ...(schema === undefined ? {} : { search_path: schema })
      }
    })
    const withSchema =
      schema === undefined
        ? pg
        : Layer.effectDiscard(
            Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`
            })
          ).pipe(Layer.provideMerge(pg))
    return opened(withSchema)
  }
  const filename = options.url.replace(/^sqlite:(\/\/)?/, "")
  return opened(
    Layer.unwrap(
      Effect.try({
        try: () => {
          fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true })
          return Sqlite.layer({ filename })
        },
        catch: (cause) => new StoreError({ detail: `cannot create the folder of ${filename}: ${String(cause)}` })
      })
    )
  )
}
