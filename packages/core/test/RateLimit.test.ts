import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { HttpClientRequest } from "effect/http"
import { Http, Retry, Source } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"

const ok = (): Simulator.Reply => ({ status: 200, body: "ok" })

/** Fetches each URL in turn through one client, returning the virtual time each response arrived. */
const timeline = (baseUrl: string, urls: ReadonlyArray<string>, limit: number, maxAttempts = 3) =>
  Effect.gen(function* () {
    const client = yield* Http.makeClient({
      source: "limited",
      connector: "limited@0.0.0",
      baseUrl,
      rateLimit: { limit, window: "1 second" },
      retry: Retry.policy({ maxAttempts, baseDelay: "10 millis", jitter: 0 })
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
  it.effect("lets a burst through, then one request per token", () =>
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
      const times = yield* timeline(sim.url, ["/a", "/b", "/c"], 100, 1)
      assert.isTrue(times[1]! < 100)
      assert.isAtLeast(times[2]!, 3000)
      assert.deepStrictEqual(
        sim.requests.map((r) => `${r.path} ${r.status}`),
        ["/a 200", "/b 429", "/c 200"]
      )
    })
  )
})
