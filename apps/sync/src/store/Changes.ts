/**
 * Reading the outbox (see `Outbox`): every stored change after a `seq`, as a stream, optionally waiting
 * for new ones; and pruning it.
 *
 * A follower on PostgreSQL listens on the outbox's channel before it reads its first page, so no commit
 * between the two goes unnoticed, and reads again when told (and every few seconds anyway, in case a
 * notification was lost with a connection). On SQLite, which has no notifications, it looks at the last
 * `seq` every 200 ms: one indexed lookup.
 *
 * @since 0.2.0
 */
import { PgClient } from "@effect/sql-pg"
import type { Feed } from "@electfeed/core"
import { DateTime, Duration, Effect, Option, Queue, Schema, Stream } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import { channel } from "./Outbox.ts"
import type { Dialect, Schemas } from "./Rows.ts"
import type { Bound, StoreError } from "./StoreError.ts"

/**
 * Which changes to read.
 *
 * @since 0.2.0
 * @category models
 */
export interface ChangesOptions {
  /** Changes with a greater `seq` than this; 0 for all. */
  readonly since: number
  /** Only this source's. */
  readonly source?: string | undefined
  /** Only this kind's (`ContestResult`, …). */
  readonly kind?: string | undefined
  /** Wait for new changes once the stored ones are read, for ever (until interrupted). */
  readonly follow?: boolean | undefined
}

/**
 * A stored change: the event marked `added`, `changed` (and `regressed`) or `removed`, with its place
 * in the store-wide order and when its transaction was written.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredChange {
  readonly seq: number
  readonly committedAt: string
  readonly event: Feed.FeedEvent
}

/**
 * Which changes to prune: those up to a `seq`, or those committed before an instant.
 *
 * @since 0.2.0
 * @category models
 */
export type PruneOptions = { readonly before: number } | { readonly committedBefore: DateTime.Utc }

/**
 * What the outbox's readers do.
 *
 * @since 0.2.0
 * @category models
 */
export interface Reader {
  readonly changes: (options: ChangesOptions) => Stream.Stream<StoredChange, StoreError>
  readonly prune: (options: PruneOptions) => Effect.Effect<number, StoreError>
}

const pageSize = 1000
const sqlitePoll = Duration.millis(200)
/** A follower on PostgreSQL reads again this often even when not told. */
const listenFallback = Duration.seconds(5)

/**
 * The readers of one store's outbox.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: (
  rows: Schemas,
  dialect: Dialect,
  call: (what: string) => Bound
) => Effect.Effect<Reader, never, SqlClient.SqlClient> = Effect.fnUntraced(function* (rows, dialect, call) {
  const sql = yield* SqlClient.SqlClient
  const pg = yield* Effect.serviceOption(PgClient.PgClient)

  const findPage = SqlSchema.findAll({
    Request: Schema.Struct({
      after: Schema.Number,
      source: Schema.optionalKey(Schema.String),
      kind: Schema.optionalKey(Schema.String)
    }),
    Result: rows.Change,
    execute: ({ after, kind, source }) =>
      sql`SELECT seq, committed_at, event FROM feed_changes WHERE ${sql.and([
        sql`seq > ${after}`,
        ...(source === undefined ? [] : [sql`source = ${source}`]),
        ...(kind === undefined ? [] : [sql`kind = ${kind}`])
      ])} ORDER BY seq LIMIT ${pageSize}`
  })
  const lastSeq = SqlSchema.findAll({
    Request: Schema.Void,
    Result: rows.Seq,
    execute: () => sql`SELECT MAX(seq) AS n FROM feed_changes`
  })
  const last = Effect.map(lastSeq(undefined), ([row]) => row?.n ?? 0).pipe(call("cannot read the last change"))

  /** Waits until there may be new changes. Set up before the first page is read. */
  const waiter = Effect.gen(function* () {
    if (dialect === "postgres" && Option.isSome(pg)) {
      const queue = yield* pg.value.listen(channel).pipe(call("cannot listen for changes"))
      return Queue.take(queue).pipe(
        Effect.andThen(Queue.clear(queue)),
        Effect.asVoid,
        Effect.timeoutOrElse({ duration: listenFallback, orElse: () => Effect.void }),
        call("lost the notifications of changes")
      )
    }
    let seen = yield* last
    return Effect.gen(function* () {
      while (true) {
        yield* Effect.sleep(sqlitePoll)
        const now = yield* last
        if (now > seen) {
          seen = now
          return
        }
      }
    })
  })

  const changes = (options: ChangesOptions): Stream.Stream<StoredChange, StoreError> =>
    Stream.unwrap(
      Effect.gen(function* () {
        const wake = options.follow === true ? yield* waiter : undefined
        const filter = {
          ...(options.source === undefined ? {} : { source: options.source }),
          ...(options.kind === undefined ? {} : { kind: options.kind })
        }
        const page = (after: number) =>
          findPage({ after, ...filter }).pipe(call(`cannot read the changes after seq ${after}`))
        return Stream.paginate(options.since, (after) =>
          Effect.gen(function* () {
            let found = yield* page(after)
            while (found.length === 0 && wake !== undefined) {
              yield* wake
              found = yield* page(after)
            }
            const next = found.at(-1)?.seq ?? after
            const more = wake !== undefined || found.length === pageSize
            return [
              found.map((row): StoredChange => ({ seq: row.seq, committedAt: row.committed_at, event: row.event })),
              more ? Option.some(next) : Option.none()
            ] as const
          })
        )
      })
    )

  const counted = SqlSchema.findAll({
    Request: Schema.Void,
    Result: rows.Seq,
    execute: () => sql`SELECT COUNT(*) AS n FROM feed_changes`
  })
  const count = Effect.map(counted(undefined), ([row]) => row?.n ?? 0)
  const prune = (options: PruneOptions) =>
    Effect.gen(function* () {
      const before = yield* count
      if ("before" in options) yield* sql`DELETE FROM feed_changes WHERE seq < ${options.before}`
      else yield* sql`DELETE FROM feed_changes WHERE committed_at < ${DateTime.formatIso(options.committedBefore)}`
      return before - (yield* count)
    }).pipe(sql.withTransaction, call("cannot prune the changes"))

  return { changes, prune }
})
