import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Option, Result, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import { Http, RateLimit, Retry, Source, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"

const ok = (): Simulator.Reply => ({ status: 200, body: "ok" })

/** Fetches each URL in turn through one client, returning the virtual time each response arrived. */
const timeline = (
  baseUrl: string,
  urls: ReadonlyArray<string>,
  limit: number,
  options: { readonly maxAttempts?: number; readonly burst?: number | undefined } = { burst: limit }
) =>
  Effect.gen(function* () {
    const client = yield* Http.makeClient({
      source: "limited",
      connector: "limited@0.0.0",
      baseUrl,
      rateLimit: { limit, window: "1 second", burst: options.burst },
      retry: Retry.policy({ maxAttempts: options.maxAttempts ?? 3, baseDelay: "10 millis", jitter: 0 })
    })
    const start = yield* Clock.currentTimeMillis
    const times: Array<number> = []
    for (const url of urls) {
      yield* Effect.ignore(client.fetch(HttpClientRequest.get(url)))
      times.push((yield* Clock.currentTimeMillis) - start)
    }
    return times
  }).pipe(Effect.provide(Source.layer), (effect) => withVirtualTime(effect, "5 millis"))

describe("RateLimit", () => {
  it.effect("keeps to the set rate over a whole run, its start included, with a burst of 1", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(ok)
      const limit = 10
      const times = yield* timeline(
        sim.url,
        Array.from({ length: 60 }, (_, i) => `/r${i}`),
        limit,
        { burst: 1 }
      )
      // The rate over the first five seconds, counting from the first request: a bucket that starts full
      // would have let `limit` more through (60, 20% over).
      const sent = times.filter((t) => t <= 5000).length
      assert.isAtMost(sent, Math.floor(limit * 5 * 1.02), `${sent} requests in the first 5 seconds`)
      assert.isAtLeast(sent, Math.floor(limit * 5 * 0.98), `${sent} requests in the first 5 seconds`)
    })
  )

  it.effect("checks the burst against the limit", () =>
    Effect.sync(() => {
      const decode = Schema.decodeUnknownResult(RateLimit.Settings)
      assert.isTrue(Result.isSuccess(decode({ limit: 5, window: "1 second", burst: 5 })))
      assert.isTrue(Result.isFailure(decode({ limit: 5, window: "1 second", burst: 6 })))
      assert.isTrue(Result.isFailure(decode({ limit: 5, window: "1 second", burst: 0 })))
    })
  )

  it.effect("lets a burst through when the policy allows one, then one request per token", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(ok)
      const times = yield* timeline(
        sim.url,
        Array.from({ length: 10 }, (_, i) => `/r${i}`),
        5
      )
      // The bucket holds 5 tokens and refills one every 200 ms.
      assert.isTrue(times[4]! < 200, `burst took ${times[4]} ms`)
      assert.isAtLeast(times[9]!, 1000)
      for (let i = 6; i < 10; i++) assert.isAtLeast(times[i]! - times[i - 1]!, 150)
    })
  )

  it.effect("keeps a bucket per host", () =>
    Effect.gen(function* () {
      const first = yield* Simulator.serve(ok)
      const second = yield* Simulator.serve(ok)
      const urls = [`${first.url}/a`, `${first.url}/b`, `${second.url}/a`, `${second.url}/b`]
      const times = yield* timeline(first.url, urls, 2)
      assert.isTrue(times[3]! < 200, `the second host waited for the first's bucket: ${times}`)
    })
  )

  it.effect("holds every request back for as long as a 429's Retry-After asked", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(ok)
      sim.inject({ _tag: "Status", status: 429, headers: { "retry-after": "3" } }, { match: (r) => r.path === "/b" })
      // No retries: "/c" is held back by the limiter itself, not by a retry of "/b".
      const times = yield* timeline(sim.url, ["/a", "/b", "/c"], 100, { maxAttempts: 1, burst: 100 })
      assert.isTrue(times[1]! < 100)
      assert.isAtLeast(times[2]!, 3000)
      assert.deepStrictEqual(
        sim.requests.map((r) => `${r.path} ${r.status}`),
        ["/a 200", "/b 429", "/c 200"]
      )
    })
  )

  it.effect("holds a host back for maxRetryAfter at most, so that the next poll reads it again", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(ok)
      sim.inject({ _tag: "Status", status: 429, headers: { "retry-after": "999999" } })
      const poll = Effect.gen(function* () {
        const client = yield* Http.makeClient({ source: "polled", connector: "polled@0.0.0", baseUrl: sim.url })
        const first = yield* Effect.exit(client.fetch(HttpClientRequest.get("/results")))
        const start = yield* Clock.currentTimeMillis
        // The next poll: within an hour of virtual time, not the 11.6 days the API asked for.
        const second = yield* client.fetch(HttpClientRequest.get("/results")).pipe(Effect.timeout("1 hour"))
        return { first, second, waited: (yield* Clock.currentTimeMillis) - start }
      }).pipe(Effect.provide(Source.layer), (effect) => withVirtualTime(effect, "1 second"))
      const { first, second, waited } = yield* poll
      const refused = Exit.isFailure(first) ? Option.getOrUndefined(Cause.findErrorOption(first.cause)) : undefined
      assert.isTrue(refused instanceof SourceError.RateLimited, String(refused))
      assert.include((refused as SourceError.RateLimited).message, "exceeds the 5 min allowed")
      assert.strictEqual(second.text, "ok")
      assert.isAtLeast(waited, 5 * 60 * 1000, "the limiter did not hold the host back at all")
      assert.deepStrictEqual(
        sim.requests.map((r) => r.status),
        [429, 200]
      )
    })
  )
})
