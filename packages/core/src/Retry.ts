/**
 * Retries, decided once for every source: exponential backoff with jitter, a cap on each wait, a bound on
 * attempts and on total time, and the API's `Retry-After` honoured. Only {@link SourceError}s that
 * are `Transient` or `RateLimited` are tried again, and a `Retry-After` longer than
 * `maxRetryAfter` is refused rather than waited out: the error is returned at once.
 *
 * @since 0.1.0
 */
import { Context, Duration, Effect, Option, Random, Schedule, Schema } from "effect"
import { formatDuration } from "./internal/format.ts"
import { retryClass } from "./internal/retryClass.ts"
import { RateLimited, type SourceError } from "./SourceError.ts"

/**
 * How a source retries. Each source sets its own; {@link defaultPolicy} is safe for a public API.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. `1` never retries. */
  readonly maxAttempts: number
  /** The wait after the first failure; it doubles after each further one. */
  readonly baseDelay: Duration.Input
  /** No computed wait exceeds this. A longer `Retry-After` from the API is still honoured, up to `maxRetryAfter`. */
  readonly maxDelay: Duration.Input
  /**
   * The longest `Retry-After` honoured. An API asking for more is not retried: the request fails with
   * `RateLimited` saying so, and the rate limiter holds the host back for this long at most, so that the
   * next poll can try again.
   */
  readonly maxRetryAfter: Duration.Input
  /** Give up rather than start a wait that would end more than this after the first failure. */
  readonly maxElapsed: Duration.Input
  /** The share of each wait that is randomised away, from 0 (none) to 1 (full jitter). */
  readonly jitter: number
}

/**
 * Five attempts, waits of about 0.5 s, 1 s, 2 s, 4 s (half of each randomised), none above 30 s, no
 * `Retry-After` above five minutes, and nothing started more than two minutes after the first failure.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelay: "500 millis",
  maxDelay: "30 seconds",
  maxRetryAfter: "5 minutes",
  maxElapsed: "2 minutes",
  jitter: 0.5
}

/**
 * {@link defaultPolicy} with some settings replaced.
 *
 * @since 0.1.0
 * @category policies
 */
export const policy = (overrides?: Partial<RetryPolicy>): RetryPolicy => ({ ...defaultPolicy, ...overrides })

/**
 * Some settings of a {@link RetryPolicy} as a config file writes them, durations as strings:
 * `{ "maxAttempts": 3, "baseDelay": "250 millis" }`. Pass the decoded value to {@link policy}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  maxAttempts: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  baseDelay: Schema.optionalKey(Schema.DurationFromString),
  maxDelay: Schema.optionalKey(Schema.DurationFromString),
  maxRetryAfter: Schema.optionalKey(Schema.DurationFromString),
  maxElapsed: Schema.optionalKey(Schema.DurationFromString),
  jitter: Schema.optionalKey(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 })))
})

/**
 * One decision to try again, as told to the {@link RetryListener}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number
  readonly maxAttempts: number
  /** How long until the next attempt. */
  readonly delay: Duration.Duration
  readonly error: SourceError
}

/**
 * Told of every retry before its wait starts. By default it logs a warning; tests and progress displays
 * replace it.
 *
 * @since 0.1.0
 * @category listeners
 */
export const RetryListener = Context.Reference<(event: RetryEvent) => Effect.Effect<void>>(
  "@electfeed/core/Retry/RetryListener",
  {
    defaultValue: () => (event) =>
      Effect.logWarning(
        `retrying in ${formatDuration(event.delay)} (attempt ${event.attempt + 1} of ${event.maxAttempts}): ${event.error.message}`
      )
  }
)

const retryAfterOf = (error: SourceError): Duration.Duration =>
  error instanceof RateLimited ? Option.getOrElse(error.retryAfter, () => Duration.zero) : Duration.zero

/** Whether `error` asks for a longer wait than `policy` honours. */
const asksTooMuch = (policy: RetryPolicy, error: SourceError): boolean =>
  Duration.isGreaterThan(retryAfterOf(error), Duration.fromInputUnsafe(policy.maxRetryAfter))

/** A refused wait, told as such: the error says the wait asked for exceeds the cap. */
const refused = (policy: RetryPolicy, error: SourceError): SourceError =>
  error instanceof RateLimited && asksTooMuch(policy, error)
    ? new RateLimited({
        source: error.source,
        url: error.url,
        retryAfter: error.retryAfter,
        maxWait: Duration.fromInputUnsafe(policy.maxRetryAfter)
      })
    : error

/**
 * The wait before the next attempt: the backoff step, capped at `maxDelay`, with `jitter` of it
 * randomised away, and never shorter than the `Retry-After` the API sent.
 */
const nextDelay = (
  policy: RetryPolicy,
  step: Duration.Duration,
  error: SourceError
): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (random) => {
    const capped = Duration.min(step, Duration.fromInputUnsafe(policy.maxDelay))
    const jittered = Duration.times(capped, 1 - policy.jitter * random)
    return Duration.max(jittered, retryAfterOf(error))
  })

/** The policy as a `Schedule` over {@link SourceError}s. */
const schedule = (policy: RetryPolicy) => {
  const maxElapsed = Duration.toMillis(Duration.fromInputUnsafe(policy.maxElapsed))
  return Schedule.exponential(policy.baseDelay).pipe(
    Schedule.setInputType<SourceError>(),
    Schedule.modifyDelay(({ duration, input }) => nextDelay(policy, duration, input)),
    Schedule.while(
      ({ attempt, duration, elapsed, input }) =>
        retryClass(input) !== "permanent" &&
        !asksTooMuch(policy, input) &&
        attempt < policy.maxAttempts &&
        elapsed + Duration.toMillis(duration) <= maxElapsed
    ),
    Schedule.tap(({ attempt, duration, input }) =>
      Effect.gen(function* () {
        const listener = yield* RetryListener
        yield* listener({ attempt, maxAttempts: policy.maxAttempts, delay: duration, error: input }).pipe(
          Effect.annotateLogs({ source: input.source })
        )
      })
    )
  )
}

/**
 * Runs `effect` again on transient and rate-limited failures, as `policy` allows; any other failure, or
 * the last one, is returned as it is, except a `RateLimited` whose wait was refused, which says so.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retrying = (policy: RetryPolicy) => {
  // Built once per policy, not once per request.
  const retries = schedule(policy)
  return <A, R>(effect: Effect.Effect<A, SourceError, R>): Effect.Effect<A, SourceError, R> =>
    // Most attempts succeed: the schedule is set up only once one fails, that failure fed to it first,
    // so that it decides exactly as if it had watched from the start.
    Effect.catch(effect, (first) => {
      let replayed = false
      const again = Effect.suspend(() => {
        if (replayed) return effect
        replayed = true
        return Effect.fail(first)
      })
      return Effect.retry(again, retries).pipe(Effect.mapError((error) => refused(policy, error)))
    })
}
