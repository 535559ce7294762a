/**
 * Where the feed is kept: SQLite by default (a file), PostgreSQL in production (by URL).
 *
 * The store holds the current state of every entity by source and key, the history of every change of
 * a contest, the rows sources reported as malformed, each stream's checkpoint, and how the last runs went.
 * A batch of a read is written in one transaction together with the checkpoints that cover it, so a
 * process killed at any moment leaves the store at a checkpoint. Writes are idempotent by key: an event
 * whose data is unchanged writes nothing, and a malformed row read again is kept once.
 *
 * Every call is bounded in time (`statementTimeout`), and a writer of a source holds the source's lease
 * while it writes (see `withLease`), so two processes never write one source at once. Even without it,
 * what changed is decided by the database in the write itself (see `BatchWriter`), so two writers of
 * the same data never both record a change.
 *
 * Every stored change (added, changed, regressed, removed) is also kept in an outbox with a store-wide
 * `seq`, in the same transaction: `changes` reads it as a stream, and can wait for new ones.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { PgClient } from "@effect/sql-pg"
import type { SourceError } from "@electfeed/core"
import { Cause, Context, DateTime, Duration, Effect, Layer, Redacted, type Schema, type Stream } from "effect"
import { SqlClient } from "effect/sql"
import { finishBeforeStopping } from "../internal/finishBeforeStopping.ts"
import * as BatchWriter from "./BatchWriter.ts"
import * as Changes from "./Changes.ts"
import * as Lease from "./Lease.ts"
import * as Migrations from "./Migrations.ts"
import * as Rows from "./Rows.ts"
import * as Sqlite from "./SqliteClient.ts"
import * as Statistics from "./Statistics.ts"
import * as Status from "./Status.ts"
import { StoreError, storeCall } from "./StoreError.ts"
import * as Watchdog from "./Watchdog.ts"

export type { Batch, Written } from "./BatchWriter.ts"
export type { ChangesOptions, PruneOptions, StoredChange } from "./Changes.ts"
export { LeaseBusy } from "./Lease.ts"
export type { HistoryRow, RunOutcome, SourceStatus, StoredEntity } from "./Status.ts"
export { StoreError } from "./StoreError.ts"

/**
 * Where to keep the feed, and how long to wait for it.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreOptions {
  /** `postgres://…` for PostgreSQL; anything else is a SQLite file path (a `sqlite:` prefix is allowed). */
  readonly url: string
  /** PostgreSQL schema to use (created when missing). */
  readonly schema?: string | undefined
  /** How long opening a PostgreSQL connection may take. Default 10 seconds. */
  readonly connectTimeout?: Duration.Input | undefined
  /** How long one store call (a query, or a batch's transaction) may go unanswered. Default 60 seconds. */
  readonly statementTimeout?: Duration.Input | undefined
  /** How long a writer's lease on a source lasts unless renewed (see `withLease`). Default 30 seconds. */
  readonly leaseTtl?: Duration.Input | undefined
  /** How long a writer waits for a source's lease held by another. Default 5 minutes. */
  readonly leaseWait?: Duration.Input | undefined
  /**
   * How long stored changes are kept (see `changes`): a writer prunes older ones, at most once a
   * minute. Default: kept for ever.
   *
   * @since 0.2.0
   */
  readonly changeRetention?: Duration.Input | undefined
}

/**
 * The defaults of {@link StoreOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = {
  connectTimeout: Duration.seconds(10),
  statementTimeout: Duration.seconds(60),
  leaseTtl: Duration.seconds(30),
  leaseWait: Duration.minutes(5)
} as const

/**
 * How long a batch's transaction in flight may go on when the app is told to stop, and how long the
 * lease is given to be released on the way out.
 */
const stopping = { transaction: Duration.seconds(3), release: Duration.seconds(2) }

/** How often a writer prunes the changes past their retention. */
const pruneEvery = Duration.minutes(1)

/**
 * A store location fit for messages: a PostgreSQL password is masked.
 *
 * @since 0.1.0
 * @category models
 */
export const describe = (url: string): string => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, "$1:***@")

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url)

/**
 * What the store does.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreService {
  readonly dialect: Rows.Dialect
  /** The stored checkpoint of each stream of `source`. */
  readonly checkpoints: (source: string) => Effect.Effect<Readonly<Record<string, Schema.Json>>, StoreError>
  /**
   * Stores what changed in a batch, the rows kept aside and the checkpoints, in one transaction. An
   * event with a string no backend can keep is kept aside as a `DecodeError` (see `Storable`).
   */
  readonly write: (source: string, batch: BatchWriter.Batch) => Effect.Effect<BatchWriter.Written, StoreError>
  /** Records how a run of `source` ended, for `status`. */
  readonly recordRun: (source: string, outcome: Status.RunOutcome) => Effect.Effect<void, StoreError>
  /** How each source stands, for `electfeed status`. */
  readonly status: Effect.Effect<ReadonlyArray<Status.SourceStatus>, StoreError>
  /** The entities of `source` (of one `kind`) a snapshot still lists, by key. */
  readonly entities: (source: string, kind?: string) => Effect.Effect<ReadonlyArray<Status.StoredEntity>, StoreError>
  /** Every change of the contest `key`, oldest first. */
  readonly history: (source: string, key: string) => Effect.Effect<ReadonlyArray<Status.HistoryRow>, StoreError>
  /** The rows of `source` kept aside, oldest first. */
  readonly skipped: (source: string) => Effect.Effect<ReadonlyArray<SourceError.DecodeError>, StoreError>
  /**
   * Runs `effect` as the one writer of `source`: waits (at most `leaseWait`) while another process
   * writes it, and fails with `LeaseBusy` past that.
   */
  readonly withLease: (
    source: string
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError | Lease.LeaseBusy, R>
  /**
   * The stored changes after `since`, in `seq` order, optionally of one source or kind; with `follow`,
   * then every new one as it is committed, until interrupted.
   *
   * @since 0.2.0
   */
  readonly changes: (options: Changes.ChangesOptions) => Stream.Stream<Changes.StoredChange, StoreError>
  /**
   * Deletes stored changes: those before a `seq`, or committed before an instant. Returns how many.
   *
   * @since 0.2.0
   */
  readonly pruneChanges: (options: Changes.PruneOptions) => Effect.Effect<number, StoreError>
}

const make = Effect.fnUntraced(function* (
  options: StoreOptions,
  /** Unblocks calls stuck on a silent connection, for a stopping app. */
  abandon: Effect.Effect<void>
): Effect.fn.Return<StoreService, never, SqlClient.SqlClient> {
  const sql = yield* SqlClient.SqlClient
  const dialect: Rows.Dialect = sql.onDialectOrElse({
    pg: () => "postgres" as const,
    orElse: () => "sqlite" as const
  })
  const rows = Rows.schemas(dialect)
  const where = describe(options.url)
  const statementTimeout = Duration.fromInputUnsafe(options.statementTimeout ?? defaults.statementTimeout)
  const call = (what: string) => storeCall(what, where, statementTimeout)
  const writer = yield* BatchWriter.make(rows, dialect)
  const outbox = yield* Changes.make(rows, dialect, call)
  const retention =
    options.changeRetention === undefined ? undefined : Duration.fromInputUnsafe(options.changeRetention)
  let prunedAt = 0
  // Pruning is housekeeping: a failure is told, and the write it follows stands.
  const pruneOld = Effect.gen(function* () {
    const now = yield* DateTime.now
    if (retention === undefined || DateTime.toEpochMillis(now) - prunedAt < Duration.toMillis(pruneEvery)) return
    prunedAt = DateTime.toEpochMillis(now)
    yield* outbox
      .prune({ committedBefore: DateTime.subtractDuration(now, retention) })
      .pipe(Effect.catch((error) => Effect.logWarning(`cannot prune old changes: ${error.message}`)))
  })
  const statistics = yield* Statistics.make(dialect)
  // Analysis is housekeeping too: a failure is told, and the write it follows stands.
  const keepStatistics = (written: BatchWriter.Written) =>
    statistics.written(written.changes.length + written.removed.length).pipe(
      call("cannot analyze the grown tables"),
      Effect.catch((error) => Effect.logWarning(error.message))
    )
  const queries = yield* Status.make(rows)
  const leases = yield* Lease.make(
    rows,
    {
      ttl: Duration.fromInputUnsafe(options.leaseTtl ?? defaults.leaseTtl),
      wait: Duration.fromInputUnsafe(options.leaseWait ?? defaults.leaseWait)
    },
    { call, release: (what) => storeCall(what, where, Duration.min(statementTimeout, stopping.release)) }
  )
  return Store.of({
    dialect,
    checkpoints: Effect.fn("Store.checkpoints")(
      function* (source: string) {
        return yield* writer.checkpoints(source)
      },
      (effect, source) => call(`cannot read the checkpoints of ${source}`)(effect)
    ),
    // Its span is BatchWriter's `Store.write`, around the transaction alone.
    write: (source: string, batch: BatchWriter.Batch) =>
      writer.write(source, batch).pipe(
        call(`cannot store a batch of ${source}`),
        // A signal stops the app after the transaction in flight, unless the database stopped answering.
        finishBeforeStopping(stopping.transaction, abandon),
        Effect.tap(keepStatistics),
        Effect.tap(pruneOld)
      ),
    recordRun: Effect.fn("Store.recordRun")(
      function* (source: string, outcome: Status.RunOutcome) {
        return yield* queries.recordRun(source, outcome)
      },
      (effect, source) => call(`cannot record the run of ${source}`)(effect)
    ),
    status: queries.status.pipe(call("cannot read the status"), Effect.withSpan("Store.status")),
    entities: Effect.fn("Store.entities")(
      function* (source: string, kind?: string) {
        return yield* queries.entities(source, kind)
      },
      (effect, source) => call(`cannot read the entities of ${source}`)(effect)
    ),
    history: Effect.fn("Store.history")(
      function* (source: string, key: string) {
        return yield* queries.history(source, key)
      },
      (effect, _source, key) => call(`cannot read the history of ${key}`)(effect)
    ),
    skipped: Effect.fn("Store.skipped")(
      function* (source: string) {
        return yield* queries.skipped(source)
      },
      (effect, source) => call(`cannot read the skipped rows of ${source}`)(effect)
    ),
    withLease: leases.withLease,
    changes: outbox.changes,
    pruneChanges: Effect.fn("Store.pruneChanges")(function* (options: Changes.PruneOptions) {
      return yield* outbox.prune(options)
    })
  })
})

/**
 * The store service.
 *
 * @since 0.1.0
 * @category services
 */
export class Store extends Context.Service<Store, StoreService>()("@electfeed/sync/Store") {
  /**
   * Opens the store at `options.url`, creating and migrating it when needed. The `SqlClient` comes with
   * it, for queries of an app's own.
   */
  static readonly layer = (options: StoreOptions): Layer.Layer<Store | SqlClient.SqlClient, StoreError> => {
    const watchdog = watchdogFor(options)
    return Layer.effect(
      Store,
      Effect.gen(function* () {
        yield* Migrations.run.pipe(
          Effect.mapError((error) => new StoreError({ detail: `cannot migrate: ${error.message}` }))
        )
        return yield* make(options, watchdog?.abandon ?? Effect.void)
      })
    ).pipe(Layer.provideMerge(clientLayer(options, watchdog)))
  }
}

/** The sockets of a PostgreSQL store reached over TCP, watched for silence (see `Watchdog`). */
const watchdogFor = (options: StoreOptions): Watchdog.Watchdog | undefined => {
  // A URL that does not parse is left to the driver, which says what is wrong with it.
  const url = isPostgres(options.url) && URL.canParse(options.url) ? new URL(options.url) : undefined
  if (url === undefined) return undefined
  const { hostname, port, searchParams } = url
  // A Unix socket (`?host=/run/postgresql`, or a path as host) is left to the driver.
  if (hostname === "" || hostname.startsWith("%2F") || searchParams.has("host")) return undefined
  return Watchdog.make(
    { host: hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(port || 5432) },
    Duration.fromInputUnsafe(options.statementTimeout ?? defaults.statementTimeout),
    describe(options.url)
  )
}

const clientLayer = (
  options: StoreOptions,
  watchdog: Watchdog.Watchdog | undefined
): Layer.Layer<SqlClient.SqlClient, StoreError> => {
  const where = describe(options.url)
  const opened = <E>(layer: Layer.Layer<SqlClient.SqlClient, E>): Layer.Layer<SqlClient.SqlClient, StoreError> =>
    Layer.catchCause(layer, (cause) =>
      Layer.effect(
        SqlClient.SqlClient,
        Cause.hasInterrupts(cause)
          ? Effect.interrupt
          : Effect.fail(new StoreError({ detail: `cannot open ${where}: ${Cause.pretty(cause).split("\n")[0]}` }))
      )
    )
  if (isPostgres(options.url)) {
    const schema = options.schema
    const statementTimeout = Duration.fromInputUnsafe(options.statementTimeout ?? defaults.statementTimeout)
    const pg = PgClient.layer({
      url: Redacted.make(options.url),
      applicationName: "electfeed",
      connectTimeout: options.connectTimeout ?? defaults.connectTimeout,
      ...(watchdog === undefined ? {} : { stream: watchdog.connect }),
      startupParameters: {
        // The store's queries are prepared statements; a plan cached while a table was still empty
        // would scan it whole ever after, making each call slower than the last.
        plan_cache_mode: "force_custom_plan",
        // The server gives up on a statement the client would stop waiting for anyway.
        statement_timeout: String(Math.ceil(Duration.toMillis(statementTimeout))),
        ...(schema === undefined ? {} : { search_path: schema })
      }
    })
    const withSchema =
      schema === undefined
        ? pg
        : Layer.effectDiscard(
            Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              // Two processes opening a new store at once may both try to create the schema: the
              // loser's error says only that the other one won.
              yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`.pipe(
                Effect.catch((error) =>
                  Effect.flatMap(sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`, (found) =>
                    found.length > 0 ? Effect.void : Effect.fail(error)
                  )
                )
              )
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
