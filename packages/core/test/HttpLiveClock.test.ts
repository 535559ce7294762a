/**
 * The client on the live clock, as a source runs: its time bounds are plain timers there (on a test's
 * virtual clock they sleep in a fiber), and an opened body that undici stopped reading while it waited
 * for its reader comes whole once read.
 */
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { type Http, Retry, Source, SourceError } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { client, failure, text } from "./fixtures/Clients.ts"

// Each case sets one bound short and leaves the others long, so that a loaded machine cannot trip
// another first.
const once = { retry: Retry.policy({ maxAttempts: 1 }) }

const fetchLive = (url: string, path: string, options: Partial<Http.ClientOptions>) =>
  Effect.flatMap(client(url, options), (c) => c.fetch(HttpClientRequest.get(path))).pipe(
    Effect.provide(Source.layer),
    Effect.exit
  )

const timedOut = (error: SourceError.SourceError, saying: string) => {
  assert.isTrue(error instanceof SourceError.Transient && error.reason === "timeout", error.message)
  assert.include(error.message, saying)
}

describe("Http on the live clock", () => {
  it.live("times out a response that never comes, a body that stalls and one that trickles", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "t".repeat(5000)))
      sim.inject({ _tag: "StallBeforeHeaders" })
      timedOut(failure(yield* fetchLive(sim.url, "/never", { ...once, responseTimeout: "200 millis" })), "no response")
      sim.inject({ _tag: "Stall" })
      timedOut(failure(yield* fetchLive(sim.url, "/stall", { ...once, bodyTimeout: "200 millis" })), "stalled")
      sim.inject({ _tag: "Trickle", pauseMillis: 20 })
      timedOut(failure(yield* fetchLive(sim.url, "/slow", { ...once, totalTimeout: "300 millis" })), "in all")
      const fine = yield* fetchLive(sim.url, "/fine", once)
      assert.strictEqual(fine._tag, "Success", "a request within its bounds failed")
    })
  )

  it.live("hands over the whole of an opened body that waited for its reader", () =>
    Effect.gen(function* () {
      const payload = Buffer.alloc(4 * 1024 * 1024, "electfeed ")
      const sim = yield* Simulator.serve(() => ({ status: 200, headers: {}, body: payload }))
      const bytes = yield* Effect.gen(function* () {
        const c = yield* client(sim.url, once)
        const opened = yield* c.open(HttpClientRequest.get("/file"))
        // Long enough for far more than a stream's high-water mark to arrive unread.
        yield* Effect.sleep("100 millis")
        const chunks = yield* Stream.runCollect(opened.body)
        return Buffer.concat(chunks)
      }).pipe(Effect.scoped, Effect.provide(Source.layer))
      assert.strictEqual(bytes.byteLength, payload.byteLength)
      assert.strictEqual(
        createHash("sha256").update(bytes).digest("hex"),
        createHash("sha256").update(payload).digest("hex")
      )
    })
  )
})
