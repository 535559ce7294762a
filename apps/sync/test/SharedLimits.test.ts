/**
 * Rate limits shared through Redis: two clients of one source, each with its own limiter and its own
 * Redis connection (as two processes would have), send requests to one host as fast as their limiters
 * let them; together they stay at the source's rate.
 */
import * as net from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Http, Source } from "@electfeed/core"
import { Simulator } from "@electfeed/core/testing"
import { Effect, Exit, Scope } from "effect"
import { HttpClientRequest } from "effect/http"
import * as SharedLimits from "../src/cluster/SharedLimits.ts"
import { StoreError } from "../src/store/StoreError.ts"
import { redisAvailable, redisUrl } from "./support/Services.ts"

const limit = 10
/** Long enough for 2% of the requests to be more than the one or two that arrival jitter moves. */
const countMillis = 10_000
const senders = 6

/** A simulator that notes when each request arrived. */
const timedServer = async () => {
  const arrivals: Array<number> = []
  const scope = await Effect.runPromise(Scope.make())
  const server = await Effect.runPromise(
    Scope.provide(scope)(
      Simulator.serve((request) => {
        if (request.path !== "/warm-up") arrivals.push(performance.now())
        return { status: 200, body: "ok" }
      })
    )
  )
  return { url: server.url, arrivals, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

/**
 * One process's worth: a client of one source with a limiter and a Redis connection of its own, sending
 * requests six at a time (more than the limit lets through, even on a loaded machine, and no more than
 * its connections, so that none waits for one) until `sent` says enough.
 */
const client = (baseUrl: string, prefix: string, sent: () => boolean) =>
  Effect.gen(function* () {
    const make = (source: string) =>
      Http.makeClient({
        source,
        connector: "shared@0.0.0",
        baseUrl,
        rateLimit: { limit, window: "1 second", burst: 1 }
      })
    // Its connections opened first, under a key of their own: so that the first counted requests do
    // not wait for connections and then arrive together.
    const warm = yield* make(`warm-up-${Math.random()}`)
    yield* Effect.all(
      Array.from({ length: senders }, () => warm.fetch(HttpClientRequest.get("/warm-up"))),
      { concurrency: "unbounded" }
    )
    const http = yield* make("shared")
    const sender = Effect.gen(function* () {
      while (!sent()) yield* http.fetch(HttpClientRequest.get("/r"))
    })
    yield* Effect.all(
      Array.from({ length: senders }, () => sender),
      { concurrency: "unbounded", discard: true }
    )
  }).pipe(Effect.provide(SharedLimits.layer({ url: redisUrl, prefix })), Effect.provide(Source.layer))

const inWindow = (arrivals: ReadonlyArray<number>, from: number, to: number) =>
  arrivals.filter((at) => at >= from && at < to).length

describe.skipIf(!redisAvailable)(
  `shared rate limits${redisAvailable ? "" : ` (skipped: no Redis at ${redisUrl})`}`,
  () => {
    it.live(
      "two limiters sharing a key in Redis stay within 2% of the limit together, from the first request on",
      () =>
        Effect.gen(function* () {
          const server = yield* Effect.promise(timedServer)
          const prefix = `electfeed-test-${process.pid}-${Date.now()}:`
          // Both send until a second past the counted stretch, which starts at the first request.
          const sent = () => server.arrivals.length > 0 && performance.now() > server.arrivals[0]! + countMillis + 1000
          yield* Effect.all([client(server.url, prefix, sent), client(server.url, prefix, sent)], {
            concurrency: 2,
            discard: true
          })
          yield* Effect.promise(server.close)
          const arrivals = [...server.arrivals].sort((a, b) => a - b)
          const first = arrivals[0]!
          // Counted from the first request, so a bucket that started full (`limit` more at once) shows. A
          // request that arrives late (a loaded machine) moves across the stretch's end, so the count
          // may be one off; 2% of the 100 expected in ten seconds is two.
          const counted = inWindow(arrivals, first, first + countMillis)
          const expected = (limit * countMillis) / 1000
          assert.isAtMost(counted, expected * 1.02 + 1, `${counted} requests in ${countMillis} ms`)
          assert.isAtLeast(counted, expected * 0.98 - 1, `${counted} requests in ${countMillis} ms`)
        }),
      60_000
    )

    it.live("a Redis out of reach is a StoreError naming it", () =>
      Effect.gen(function* () {
        const refused = yield* Effect.flip(
          Effect.provide(Effect.void, SharedLimits.layer({ url: "redis://127.0.0.1:1", prefix: "x:" }))
        )
        assert.instanceOf(refused, StoreError)
        assert.include(refused.message, "redis://127.0.0.1:1")
      })
    )

    it.live(
      "a Redis that never answers is a StoreError within seconds, not a hang",
      () =>
        Effect.gen(function* () {
          const silent = net.createServer(() => {})
          yield* Effect.promise(() => new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve)))
          const { port } = silent.address() as net.AddressInfo
          const exit = yield* Effect.exit(
            Effect.provide(Effect.void, SharedLimits.layer({ url: `redis://127.0.0.1:${port}`, prefix: "x:" }))
          )
          silent.close()
          assert.isTrue(Exit.isFailure(exit))
        }),
      30_000
    )
  }
)
