import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Option, Ref } from "effect"
import { Retry, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { failure, fetchPath, text } from "./fixtures/Clients.ts"

const transient = new SourceError.Transient({ source: "s", url: "u", reason: "server", status: 503, detail: "busy" })

/** Fails with `error` on every attempt, recording each retry's wait; returns the attempts made. */
const attempts = (policy: Retry.RetryPolicy, error: SourceError.SourceError = transient) =>
  Effect.gen(function* () {
    const count = yield* Ref.make(0)
    const delays: Array<number> = []
    yield* Ref.update(count, (n) => n + 1).pipe(
      Effect.andThen(Effect.fail(error)),
      Retry.retrying(policy),
      Effect.provideService(Retry.RetryListener, (event) =>
        Effect.sync(() => void delays.push(Duration.toMillis(event.delay)))
      ),
      Effect.ignore,
      withVirtualTime
    )
    return { count: yield* Ref.get(count), delays }
  })

describe("Retry", () => {
  it.effect("backs off exponentially up to the cap per delay", () =>
    Effect.gen(function* () {
      const { count, delays } = yield* attempts(
        Retry.policy({ maxAttempts: 6, baseDelay: "100 millis", maxDelay: "500 millis", jitter: 0 })
      )
      assert.strictEqual(count, 6)
      assert.deepStrictEqual(delays, [100, 200, 400, 500, 500])
    })
  )

  it.effect("randomises each delay within the jitter share", () =>
    Effect.gen(function* () {
      const { delays } = yield* attempts(
        Retry.policy({ maxAttempts: 8, baseDelay: "1 second", maxDelay: "1 second", maxElapsed: "1 hour", jitter: 0.5 })
      )
      assert.strictEqual(delays.length, 7)
      for (const delay of delays) assert.isTrue(delay >= 500 && delay <= 1000, `delay ${delay}`)
      assert.isAbove(new Set(delays).size, 1, "jitter produced identical delays")
    })
  )

  it.effect("stops at the attempt bound", () =>
    Effect.gen(function* () {
      assert.strictEqual((yield* attempts(Retry.policy({ maxAttempts: 1 }))).count, 1)
      assert.strictEqual((yield* attempts(Retry.policy({ maxAttempts: 3, baseDelay: "10 millis" }))).count, 3)
    })
  )

  it.effect("starts no wait that would end past the total time bound", () =>
    Effect.gen(function* () {
      const { delays } = yield* attempts(
        Retry.policy({
          maxAttempts: 100,
          baseDelay: "400 millis",
          maxDelay: "10 seconds",
          maxElapsed: "2 seconds",
          jitter: 0
        })
      )
      // 400 + 800 = 1.2 s; the next wait (1.6 s) would end after 2 s.
      assert.deepStrictEqual(delays, [400, 800])
    })
  )

  it.effect("waits at least the Retry-After the API asked for, even past the cap", () =>
    Effect.gen(function* () {
      const limited = new SourceError.RateLimited({
        source: "s",
        url: "u",
        retryAfter: Option.some(Duration.seconds(5))
      })
      const { count, delays } = yield* attempts(
        Retry.policy({ maxAttempts: 2, baseDelay: "100 millis", maxDelay: "1 second", jitter: 0 }),
        limited
      )
      assert.strictEqual(count, 2)
      assert.deepStrictEqual(delays, [5000])
    })
  )

  it.effect("refuses a Retry-After longer than maxRetryAfter at once, saying so", () =>
    Effect.gen(function* () {
      const limited = new SourceError.RateLimited({
        source: "s",
        url: "u",
        retryAfter: Option.some(Duration.seconds(999_999))
      })
      const count = yield* Ref.make(0)
      // A day of virtual time at most: a retry that waited out the 11.6 days asked for would time out.
      const exit = yield* Ref.update(count, (n) => n + 1).pipe(
        Effect.andThen(Effect.fail(limited)),
        Retry.retrying(Retry.policy({ maxRetryAfter: "5 minutes", maxElapsed: "30 days" })),
        Effect.timeout("1 day"),
        Effect.exit,
        (effect) => withVirtualTime(effect, "1 hour")
      )
      assert.strictEqual(yield* Ref.get(count), 1)
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
      assert.isTrue(error instanceof SourceError.RateLimited, String(error))
      const refused = error as SourceError.RateLimited
      assert.deepStrictEqual(refused.maxWait, Duration.minutes(5))
      assert.include(refused.message, "exceeds the 5 min allowed")
      const { count: within } = yield* attempts(
        Retry.policy({ maxAttempts: 2, maxRetryAfter: "5 seconds", jitter: 0 }),
        new SourceError.RateLimited({ source: "s", url: "u", retryAfter: Option.some(Duration.seconds(4)) })
      )
      assert.strictEqual(within, 2, "a wait within the cap is honoured")
    })
  )

  it.effect("never retries what is not transient or rate limited", () =>
    Effect.gen(function* () {
      const permanent: Array<SourceError.SourceError> = [
        new SourceError.ConfigError({ source: "s", detail: "no key" }),
        new SourceError.AuthError({ source: "s", url: "u", status: 401 }),
        new SourceError.NotFound({ source: "s", url: "u" }),
        new SourceError.DecodeError({ source: "s", url: "u", detail: "d", excerpt: "" }),
        new SourceError.UpstreamFailure({ source: "s", url: "u", upstreamMessage: "m" }),
        new SourceError.RequestRejected({ source: "s", url: "u", status: 400, excerpt: "" })
      ]
      for (const error of permanent) {
        assert.strictEqual((yield* attempts(Retry.policy({ maxAttempts: 5 }), error)).count, 1, error._tag)
      }
    })
  )

  it.effect("reads a 429's Retry-After as seconds or as an HTTP-date, measured from the clock", () =>
    Effect.gen(function* () {
      const retryAfter: Record<string, string> = {
        "/seconds": "2",
        "/date": "Thu, 01 Jan 1970 00:00:07 GMT",
        "/past": "Wed, 31 Dec 1969 23:59:00 GMT",
        "/unreadable": "soon"
      }
      const sim = yield* Simulator.serve((request) => {
        const header = retryAfter[request.path]
        return text(429, "slow down", header === undefined ? {} : { "retry-after": header })
      })
      const wait = (path: string) =>
        Effect.map(Effect.exit(fetchPath(sim.url, path, { retry: Retry.policy({ maxAttempts: 1 }) })), (exit) => {
          const error = failure(exit)
          assert.instanceOf(error, SourceError.RateLimited)
          return Option.map((error as SourceError.RateLimited).retryAfter, Duration.toMillis)
        })
      assert.deepStrictEqual(yield* wait("/seconds"), Option.some(2000))
      // An HTTP-date is measured from the response's arrival, which the virtual clock's steps move past 0.
      const untilDate = Option.getOrElse(yield* wait("/date"), () => -1)
      assert.isTrue(untilDate > 6000 && untilDate <= 7000, `waits ${untilDate} ms for a date 7 s after 0`)
      assert.deepStrictEqual(yield* wait("/past"), Option.some(0))
      assert.deepStrictEqual(yield* wait("/unreadable"), Option.none())
      assert.deepStrictEqual(yield* wait("/absent"), Option.none())
    })
  )
})
