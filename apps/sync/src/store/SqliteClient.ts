/**
 * An `effect/sql` client for SQLite over Node's built-in `node:sqlite`.
 *
 * The embedded default store needs no native module and no download: Node 24 ships SQLite. The
 * published effect 4 SQLite drivers are not on the registry yet, so this module builds the client from
 * `effect/sql`'s own pieces (the SQLite statement compiler and single-connection acquirers). One
 * connection, serialized; WAL journal; `BEGIN IMMEDIATE` transactions so a writer never has to upgrade a
 * read lock; prepared statements cached.
 *
 * @since 0.1.0
 */
import type { DatabaseSync as Database, StatementSync } from "node:sqlite"
import { Context, Effect, Layer, type Scope, Semaphore, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlConnection, SqlError, Statement } from "effect/sql"

/**
 * @since 0.1.0
 * @category models
 */
export interface SqliteOptions {
  /** The database file; created when missing. */
  readonly filename: string
  /** How long to wait for another process's write lock, in milliseconds. Default 5000. */
  readonly busyTimeoutMillis?: number
}

// Loaded lazily: PostgreSQL users never pay for it, and Node's notice that the module is still flagged
// experimental is silenced while it loads (the API used here is stable across Node 22.13+ and 24).
const loadSqlite = Effect.promise(async () => {
  const emit = process.emitWarning
  process.emitWarning = ((warning: string | Error, ...rest: Array<unknown>) => {
    const text = typeof warning === "string" ? warning : warning.message
    if (!/SQLite/i.test(text)) (emit as (...args: Array<unknown>) => void).call(process, warning, ...rest)
  }) as typeof process.emitWarning
  try {
    return await import("node:sqlite")
  } finally {
    process.emitWarning = emit
  }
})

const sqlError = (cause: unknown, message: string, operation: string) =>
  new SqlError.SqlError({
    reason: SqlError.classifySqliteError(
      typeof cause === "object" && cause !== null && "errcode" in cause
        ? Object.assign(cause, { errno: cause.errcode })
        : cause,
      { message, operation }
    )
  })

const makeConnection = (db: Database) => {
  const prepared = new Map<string, StatementSync>()
  const prepare = (sql: string, cache: boolean) =>
    Effect.try({
      try: () => {
        const cached = cache ? prepared.get(sql) : undefined
        if (cached !== undefined) return cached
        const statement = db.prepare(sql)
        if (cache) prepared.set(sql, statement)
        return statement
      },
      catch: (cause) => sqlError(cause, `Failed to prepare: ${sql.slice(0, 200)}`, "prepare")
    })
  const run = (
    sql: string,
    params: ReadonlyArray<unknown>,
    options: { readonly cache: boolean; readonly arrays: boolean }
  ) =>
    Effect.flatMap(prepare(sql, options.cache), (statement) =>
      Effect.try({
        try: () => {
          statement.setReturnArrays(options.arrays)
          return statement.all(...(params as Array<never>)) as ReadonlyArray<any>
        },
        catch: (cause) => sqlError(cause, "Failed to execute statement", "execute")
      })
    )
  const connection: SqlConnection.Connection & { readonly isTransaction: () => boolean } = {
    isTransaction: () => db.isTransaction,
    execute: (sql, params, transformRows) =>
      Effect.map(run(sql, params, { cache: true, arrays: false }), (rows) =>
        transformRows ? transformRows(rows) : rows
      ),
    executeRaw: (sql, params) => run(sql, params, { cache: true, arrays: false }),
    executeValues: (sql, params) => run(sql, params, { cache: true, arrays: true }),
    executeValuesUnprepared: (sql, params) => run(sql, params, { cache: false, arrays: true }),
    executeUnprepared: (sql, params, transformRows) =>
      Effect.map(run(sql, params, { cache: false, arrays: false }), (rows) =>
        transformRows ? transformRows(rows) : rows
      ),
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(
        Effect.map(run(sql, params, { cache: true, arrays: false }), (rows) =>
          transformRows ? transformRows(rows) : rows
        )
      )
  }
  return connection
}

/**
 * Opens the database for the scope's lifetime, as a `SqlClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (
  options: SqliteOptions
): Effect.fn.Return<SqlClient.SqlClient, SqlError.SqlError, Scope.Scope | Reactivity.Reactivity> {
  const { DatabaseSync } = yield* loadSqlite
  const db = yield* Effect.acquireRelease(
    Effect.try({
      try: () => {
        const db = new DatabaseSync(options.filename)
        db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMillis ?? 5000}`)
        db.exec("PRAGMA journal_mode = WAL")
        db.exec("PRAGMA synchronous = NORMAL")
        return db
      },
      catch: (cause) => sqlError(cause, `Cannot open the SQLite database ${options.filename}`, "connect")
    }),
    (db) => Effect.sync(() => db.close())
  )
  const connection = makeConnection(db)
  const { acquirer, onCommitFailure, transactionAcquirer } = SqlClient.makeSqliteAcquirers({
    connection: Effect.succeed(connection),
    semaphore: yield* Semaphore.make(1),
    isTransaction: (conn) => conn.isTransaction()
  })
  return yield* SqlClient.make({
    acquirer,
    transactionAcquirer,
    onCommitFailure,
    compiler: Statement.makeCompilerSqlite(),
    driver: "node:sqlite",
    beginTransaction: "BEGIN IMMEDIATE",
    releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
    spanAttributes: [["db.system.name", "sqlite"]]
  })
})

/**
 * A `SqlClient` layer for the SQLite file.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: SqliteOptions): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effectContext(Effect.map(make(options), (client) => Context.make(SqlClient.SqlClient, client))).pipe(
    Layer.provide(Reactivity.layer)
  )
