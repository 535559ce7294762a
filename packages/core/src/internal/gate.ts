// The rate limiter as the HTTP client uses it: admission per source and host, and the adaptive slow-down
// after a 429. RateLimit.ts holds the public policy and layer.
import { Duration, Effect } from "effect"
import { RateLimiter } from "effect/persistence"
import { bucketOf, type RateLimitPolicy } from "../RateLimit.ts"
import * as Retry from "../Retry.ts"
import { Transient } from "../SourceError.ts"
import { formatDuration } from "./format.ts"

/** A ticket for one request: pass it back with the response's status through {@link Gate.report}. */
export interface Ticket {
  readonly key: string
  readonly epoch: number
}

/** The limiter as one source sees it. */
export interface Gate {
  /**
   * Waits until a request to `host` may go out. A limiter whose store fails (a shared store out of
   * reach) fails the request as `Transient`, to be retried like any network failure.
   */
  readonly admit: (host: string, url: string) => Effect.Effect<Ticket, Transient>
  /**
   * Tells the limiter how the request went, so that a `429` slows later ones down; its `retryAfter` holds
   * the host back, for the gate's `maxPause` at most.
   */
  readonly report: (ticket: Ticket, status: number, retryAfter: Duration.Duration | undefined) => Effect.Effect<void>
}

/**
 * A {@link Gate} for one source. `maxPause` bounds how long a `429` may hold a host back; it defaults to
 * the default retry policy's `maxRetryAfter`.
 */
export const make = Effect.fnUntraced(function* (
  source: string,
  policy: RateLimitPolicy,
  maxPause: Duration.Input = Retry.defaultPolicy.maxRetryAfter
): Effect.fn.Return<Gate, never, RateLimiter.RateLimiter> {
  const limiter = yield* RateLimiter.RateLimiter
  const window = Duration.fromInputUnsafe(policy.window)
  const bucket = bucketOf(policy)
  const longestPause = Duration.fromInputUnsafe(maxPause)
  const pauseFor = (key: string, retryAfter: Duration.Duration | undefined) =>
    retryAfter === undefined || Duration.isLessThanOrEqualTo(retryAfter, longestPause)
      ? Effect.succeed(retryAfter)
      : Effect.as(
          Effect.logWarning(
            `${key} asked to wait ${formatDuration(retryAfter)}; holding its requests back for ` +
              `${formatDuration(longestPause)}, the longest pause allowed`
          ).pipe(Effect.annotateLogs({ source })),
          longestPause
        )
  const storeFailed = (url: string) => (error: { readonly message: string }) =>
    new Transient({ source, url, reason: "network", detail: `the rate limiter's store failed: ${error.message}` })
  // Chained by hand rather than in a generator: it runs before every request.
  const admit = (host: string, url: string): Effect.Effect<Ticket, Transient> => {
    const key = `${source}@${host}`
    return limiter
      .consume({ key, limit: bucket.limit, window: bucket.window, algorithm: "token-bucket", onExceeded: "delay" })
      .pipe(
        Effect.flatMap(({ delay }) => {
          const adaptive = limiter.adaptiveConsume({
            key,
            tokens: 1,
            fallbackLimit: policy.limit,
            fallbackWindow: window
          })
          return Duration.isGreaterThan(delay, Duration.zero) ? Effect.andThen(Effect.sleep(delay), adaptive) : adaptive
        }),
        Effect.flatMap((adaptive) => {
          const ticket = { key, epoch: adaptive.epoch }
          return Duration.isGreaterThan(adaptive.delay, Duration.zero)
            ? Effect.as(Effect.sleep(adaptive.delay), ticket)
            : Effect.succeed(ticket)
        }),
        Effect.mapError(storeFailed(url))
      )
  }
  const report = (ticket: Ticket, status: number, retryAfter: Duration.Duration | undefined) =>
    status === 429
      ? pauseFor(ticket.key, retryAfter).pipe(
          Effect.flatMap((pause) =>
            limiter.adaptiveFeedback({ key: ticket.key, epoch: ticket.epoch, tokens: 1, status, retryAfter: pause })
          ),
          // The slow-down is lost, not the response: the next 429 asks for it again.
          Effect.catch((error) =>
            Effect.logWarning(`${ticket.key}: the rate limiter's store failed: ${error.message}`).pipe(
              Effect.annotateLogs({ source })
            )
          )
        )
      : Effect.void
  return { admit, report }
})
