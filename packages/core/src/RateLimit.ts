/**
 * Rate limits, enforced in core for every request a source makes.
 *
 * Each source has a policy: `limit` requests per `window`, one every `window / limit`, with up to
 * `burst` requests at once after a quiet spell (default `limit`). A bucket starts full, so a run's first
 * `burst - 1` requests come on top of the rate: with `burst: 1`, no stretch of a run, its start
 * included, goes faster than the set rate. Requests are keyed by source and host, so
 * a source that talks to an API and to a file host keeps a bucket for each. A `429` from the API feeds
 * the limiter's adaptive mode, which pauses the key for the `Retry-After` the API gave (never longer
 * than the retry policy's `maxRetryAfter`, so that one answer cannot silence a host for days) and then
 * learns a slower rate.
 *
 * The buckets live in a `RateLimiterStore`: process memory by default ({@link layerMemory}), or a store
 * that several processes share, so that together they stay under an API's limit ({@link layer} with
 * effect's `RateLimiter.layerStoreRedis`).
 *
 * @since 0.1.0
 */
import { Duration, Layer, Schema } from "effect"
import { RateLimiter } from "effect/persistence"

/**
 * How fast a source may send requests to one host.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitPolicy {
  /** Requests allowed per `window`. */
  readonly limit: number
  readonly window: Duration.Input
  /**
   * Requests that may go out at once after a quiet spell, from 1 to `limit`; default `limit`, which
   * lets a poll's first requests go out together, at the cost of up to `limit - 1` requests more than
   * the rate in the stretch that follows a quiet spell (a run's start included). With 1, every request
   * waits its turn, and a run stays at the set rate from its first request on.
   *
   * @since 0.2.0
   */
  readonly burst?: number | undefined
}

/**
 * A {@link RateLimitPolicy} as a config file writes it: `{ "limit": 5, "window": "1 second" }`, with an
 * optional `"burst": 5`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  limit: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  window: Schema.DurationFromString,
  burst: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
}).check(
  Schema.makeFilter((settings) => (settings.burst ?? 1) <= settings.limit || "burst cannot be larger than limit")
)

/**
 * Two requests a second: polite for a public API that publishes no limit.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: RateLimitPolicy = { limit: 2, window: "1 second" }

/**
 * The token bucket that enforces `policy`: it holds `burst` tokens and gains one every
 * `window / limit`, so it is `burst` requests per `burst × window / limit`.
 *
 * @since 0.2.0
 * @category policies
 */
export const bucketOf = (policy: RateLimitPolicy): { readonly limit: number; readonly window: Duration.Duration } => {
  const burst = Math.min(Math.max(1, Math.floor(policy.burst ?? policy.limit)), policy.limit)
  return {
    limit: burst,
    window: Duration.times(Duration.divideUnsafe(Duration.fromInputUnsafe(policy.window), policy.limit), burst)
  }
}

/**
 * The limiter with its buckets in `store`. To share limits between processes, on one machine or many,
 * give every process the same Redis:
 *
 * ```ts
 * import { NodeRedis } from "@effect/platform-node"
 * import { RateLimiter } from "effect/persistence"
 *
 * const shared = RateLimit.layer(RateLimiter.layerStoreRedis({ prefix: "electfeed:" })).pipe(
 *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * ```
 *
 * A shared bucket is only as exact as the clocks of the processes that share it (a token bucket in Redis
 * is refilled by the time each client says it is): keep their clocks in step (NTP).
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = <E, R>(
  store: Layer.Layer<RateLimiter.RateLimiterStore, E, R>
): Layer.Layer<RateLimiter.RateLimiter, E, R> =>
  // A layer of its own, not effect's `RateLimiter.layer`: layers are shared by identity when an app
  // provides several, so that one would come back built on whichever store was provided first.
  Layer.effect(RateLimiter.RateLimiter, RateLimiter.make).pipe(Layer.provide(store))

/**
 * The limiter with its buckets in process memory: each process has its own.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<RateLimiter.RateLimiter> = layer(RateLimiter.layerStoreMemory)
