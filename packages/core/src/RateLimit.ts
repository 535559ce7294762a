/**
 * Rate limits, enforced in core for every request a source makes.
 *
 * Each source has a policy (a token bucket: `limit` requests per `window`, with bursts up to `limit`).
 * Requests are keyed by source and host, so a source that talks to an API and to a file host keeps a
 * bucket for each. A `429` from the API feeds the limiter's adaptive mode, which pauses the key for the
 * `Retry-After` the API gave (never longer than the retry policy's `maxRetryAfter`, so that one answer
 * cannot silence a host for days) and then learns a slower rate.
 *
 * @since 0.1.0
 */
import { type Duration, Layer, Schema } from "effect"
import { RateLimiter } from "effect/persistence"

/**
 * How fast a source may send requests to one host.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitPolicy {
  /** Requests allowed per `window`, and the largest burst. */
  readonly limit: number
  readonly window: Duration.Input
}

/**
 * A {@link RateLimitPolicy} as a config file writes it: `{ "limit": 5, "window": "1 second" }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  limit: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  window: Schema.DurationFromString
})

/**
 * Two requests a second: polite for a public API that publishes no limit.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: RateLimitPolicy = { limit: 2, window: "1 second" }

/**
 * The limiter with its state in process memory. Replace `RateLimiter.layerStoreMemory` with
 * `RateLimiter.layerStoreRedis` to share limits between processes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<RateLimiter.RateLimiter> = RateLimiter.layer.pipe(
  Layer.provide(RateLimiter.layerStoreMemory)
)
