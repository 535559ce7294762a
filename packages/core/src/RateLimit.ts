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
import { Duration, Effect, Layer, Schema } from "effect"
import { RateLimiter } from "effect/persistence"
import { formatDuration } from "./internal/format.ts"
import * as Retry from "./Retry.ts"

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

/**
 * A ticket for one request: pass it back with the response's status through {@link Gate.report}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ticket {
  readonly key: string
  readonly epoch: number
}

/**
 * The limiter as one source sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Gate {
  /** Waits until a request to `host` may go out. */
  readonly admit: (host: string) => Effect.Effect<Ticket>
  /**
   * Tells the limiter how the request went, so that a `429` slows later ones down; its `retryAfter` holds
   * the host back, for the gate's `maxPause` at most.
   */
  readonly report: (ticket: Ticket, status: number, retryAfter: Duration.Duration | undefined) => Effect.Effect<void>
}

/**
 * A {@link Gate} for one source. `maxPause` bounds how long a `429` may hold a host back; it defaults to
 * the default retry policy's `maxRetryAfter`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeGate = (
  source: string,
  policy: RateLimitPolicy,
  maxPause: Duration.Input = Retry.defaultPolicy.maxRetryAfter
): Effect.Effect<Gate, never, RateLimiter.RateLimiter> =>
  Effect.gen(function* () {
    const limiter = yield* RateLimiter.RateLimiter
    const window = Duration.fromInputUnsafe(policy.window)
    const longestPause = Duration.fromInputUnsafe(maxPause)
    const pauseFor = (key: string, retryAfter: Duration.Duration | undefined) =>
      retryAfter === undefined || Duration.isLessThanOrEqualTo(retryAfter, longestPause)
        ? Effect.succeed(retryAfter)
        : Effect.as(
            Effect.logWarning(
              `${key} asked to wait ${formatDuration(retryAfter)}; holding its requests back for ` +
                `${formatDuration(longestPause)}, the longest pause allowed`
            ),
            longestPause
          )
    const admit = (host: string) =>
      Effect.gen(function* () {
        const key = `${source}@${host}`
        const { delay } = yield* limiter.consume({
          key,
          limit: policy.limit,
          window,
          algorithm: "token-bucket",
          onExceeded: "delay"
        })
        if (Duration.isGreaterThan(delay, Duration.zero)) yield* Effect.sleep(delay)
        const adaptive = yield* limiter.adaptiveConsume({
          key,
          tokens: 1,
          fallbackLimit: policy.limit,
          fallbackWindow: window
        })
        if (Duration.isGreaterThan(adaptive.delay, Duration.zero)) yield* Effect.sleep(adaptive.delay)
        return { key, epoch: adaptive.epoch }
      }).pipe(Effect.orDie)
    const report = (ticket: Ticket, status: number, retryAfter: Duration.Duration | undefined) =>
      status === 429
        ? pauseFor(ticket.key, retryAfter).pipe(
            Effect.flatMap((pause) =>
              limiter.adaptiveFeedback({ key: ticket.key, epoch: ticket.epoch, tokens: 1, status, retryAfter: pause })
            ),
            Effect.orDie
          )
        : Effect.void
    return { admit, report }
  })
