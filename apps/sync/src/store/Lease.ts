/**
 * One writer per source at a time. Two `electfeed sync` on one store would both read from the same
 * checkpoint and both write what they read; so a writer of a source first takes the source's lease, a
 * row of `source_leases` (holder, expiry) taken in one atomic upsert on SQLite and PostgreSQL alike,
 * renews it while it reads, and removes it at the end. A second writer waits for it (bounded), then
 * reads from the checkpoint the first one left. A holder that dies (SIGKILL) stops renewing, and its
 * lease expires; on the holder's own machine, where its process can be seen to be gone, the lease is
 * taken over at once.
 *
 * Expiry is compared in the writers' clocks, so they must agree within a fraction of the lease's
 * time to live.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import * as os from "node:os"
import { DateTime, Duration, Effect, Option, Schema } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import type { Schemas } from "./Rows.ts"
import { type Bound, StoreError } from "./StoreError.ts"

/**
 * Another writer kept the source's lease for longer than the wait allowed.
 *
 * @since 0.1.0
 * @category errors
 */
export class LeaseBusy extends Schema.TaggedError<LeaseBusy>()("LeaseBusy", {
  source: Schema.String,
  holder: Schema.String,
  waited: Schema.DurationFromMillis
}) {
  override get message(): string {
    return `${this.source} is being written by another electfeed (${this.holder}); gave up waiting for it after ${Duration.format(this.waited)}`
  }
}

const holderName = (pid: number, nonce: string) => `${os.hostname()} pid ${pid} #${nonce}`

/**
 * Whether a holder is a process of this machine that no longer runs. A holder of another machine, or one
 * whose pid is taken again, is never judged gone: its lease expires instead.
 */
const holderIsGone = (holder: string): boolean => {
  const match = /^(.+) pid (\d+) #[0-9a-f]+$/.exec(holder)
  if (match === null || match[1] !== os.hostname()) return false
  try {
    process.kill(Number(match[2]), 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH"
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface LeaseOptions {
  /** How long a lease lasts unless renewed; it is renewed every third of it. */
  readonly ttl: Duration.Duration
  /** How long a writer waits for a lease held by another. */
  readonly wait: Duration.Duration
}

/**
 * What the leases do.
 *
 * @since 0.1.0
 * @category models
 */
export interface Leases {
  /**
   * Runs `effect` holding the lease of `source`: waits (at most `wait`) while another writer holds it,
   * fails with `LeaseBusy` past that, and fails with a `StoreError` if the lease is lost.
   */
  readonly withLease: (
    source: string
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError | LeaseBusy, R>
}

/**
 * The leases of one store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  rows: Schemas,
  options: LeaseOptions,
  /** Bounds a call and says what failed; `release` gets a shorter bound, as it may run on the way out. */
  bound: { readonly call: (what: string) => Bound; readonly release: (what: string) => Bound }
) => Effect.Effect<Leases, never, SqlClient.SqlClient> = Effect.fnUntraced(function* (rows, options, bound) {
  const sql = yield* SqlClient.SqlClient
  const iso = (at: DateTime.Utc) => DateTime.formatIso(at)

  const take = Effect.fnUntraced(
    function* (source: string, holder: string) {
      const now = yield* DateTime.now
      const row = { source, holder, expires_at: iso(DateTime.addDuration(now, options.ttl)) }
      const won = yield* sql<{ holder: string }>`INSERT INTO source_leases ${sql.insert(row)}
          ON CONFLICT (source) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE source_leases.holder = excluded.holder OR source_leases.expires_at < ${iso(now)}
          RETURNING holder`
      return won.length > 0
    },
    (effect, source) => bound.call(`cannot take the lease of ${source}`)(effect)
  )

  // Taken only from the holder the caller saw dead, so two waiters cannot both take it.
  const takeOver = Effect.fnUntraced(
    function* (source: string, holder: string, dead: string) {
      const expires = iso(DateTime.addDuration(yield* DateTime.now, options.ttl))
      const won = yield* sql<{ holder: string }>`UPDATE source_leases SET holder = ${holder}, expires_at = ${expires}
          WHERE source = ${source} AND holder = ${dead} RETURNING holder`
      return won.length > 0
    },
    (effect, source) => bound.call(`cannot take over the lease of ${source}`)(effect)
  )

  const current = SqlSchema.findOneOption({
    Request: Schema.String,
    Result: rows.Lease,
    execute: (source) => sql`SELECT holder, expires_at FROM source_leases WHERE source = ${source}`
  })

  const acquire = Effect.fn("Store.acquireLease")(function* (source: string, holder: string) {
    const started = yield* DateTime.now
    const deadline = DateTime.addDuration(started, options.wait)
    const pause = Duration.min(Duration.seconds(1), Duration.divideUnsafe(options.ttl, 3))
    let announced = false
    while (!(yield* take(source, holder))) {
      const other = yield* current(source).pipe(bound.call(`cannot read the lease of ${source}`))
      const now = yield* DateTime.now
      if (Option.isNone(other)) continue
      if (holderIsGone(other.value.holder)) {
        if (yield* takeOver(source, holder, other.value.holder)) {
          yield* Effect.logInfo(`${source}: took over the lease of ${other.value.holder}, which is no longer running`)
          break
        }
        continue
      }
      if (DateTime.isGreaterThanOrEqualTo(now, deadline)) {
        return yield* new LeaseBusy({ source, holder: other.value.holder, waited: options.wait })
      }
      if (!announced) {
        announced = true
        yield* Effect.logInfo(
          `${source}: waiting for another electfeed (${other.value.holder}) to finish writing it, at most ${Duration.format(options.wait)}`
        )
      }
      yield* Effect.sleep(Duration.min(pause, DateTime.distance(now, deadline)))
    }
    yield* Effect.logDebug(`${source}: took the lease as ${holder}`)
  })

  const renewed = Effect.fnUntraced(
    function* (source: string, holder: string) {
      const expires = DateTime.addDuration(yield* DateTime.now, options.ttl)
      const kept = yield* sql<{ holder: string }>`UPDATE source_leases SET expires_at = ${iso(expires)}
          WHERE source = ${source} AND holder = ${holder} RETURNING holder`
      if (kept.length === 0) {
        return yield* new StoreError({
          detail: `lost the lease of ${source}: it expired while this process was stalled, and another writer took it`
        })
      }
    },
    (effect, source) => bound.call(`cannot renew the lease of ${source}`)(effect)
  )

  const keepRenewing = (source: string, holder: string) =>
    Effect.sleep(Duration.divideUnsafe(options.ttl, 3)).pipe(Effect.andThen(renewed(source, holder)), Effect.forever)

  const release = (source: string, holder: string) =>
    sql`DELETE FROM source_leases WHERE source = ${source} AND holder = ${holder}`.pipe(
      bound.release(`cannot release the lease of ${source}`),
      // It expires on its own.
      Effect.ignore
    )

  /**
   * Runs `effect` holding the lease of `source`: waits (at most `wait`) while another writer holds it,
   * fails with `LeaseBusy` past that, and fails with a `StoreError` if the lease is lost.
   */
  const withLease =
    (source: string) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError | LeaseBusy, R> => {
      const holder = holderName(process.pid, randomBytes(3).toString("hex"))
      return Effect.acquireUseRelease(
        // Waiting for another writer stops at a signal (a lease taken then is left to expire).
        Effect.interruptible(acquire(source, holder)),
        () => Effect.raceFirst(effect, keepRenewing(source, holder)),
        () => release(source, holder)
      )
    }

  return { withLease }
})
