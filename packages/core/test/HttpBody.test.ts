import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { type Http, Retry, Source, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { client, failure, send, text } from "./fixtures/Clients.ts"

const once = { retry: Retry.policy({ maxAttempts: 1 }) }

const isTimeout = (error: SourceError.SourceError) =>
  error instanceof SourceError.Transient && error.reason === "timeout"

const identity = (path: string) =>
  HttpClientRequest.get(path).pipe(HttpClientRequest.setHeader("accept-encoding", "identity"))

describe("Http bodies", () => {
  it.effect("ends a request whose body trickles in a byte at a time, at its overall budget", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "t".repeat(5000)))
      sim.inject({ _tag: "Trickle", pauseMillis: 20 })
      // A byte every 20 ms of real time is a few seconds of virtual time: never 30 s of silence.
      const exit = yield* Effect.exit(
        send(sim.url, HttpClientRequest.get("/slow"), { ...once, totalTimeout: "1 minute" }, "200 millis")
      )
      const error = failure(exit)
      assert.isTrue(isTimeout(error), error.message)
      assert.include(error.message, "in all")
      assert.isAbove(sim.requests[0]!.bytesSent, 0, "the body never started")
    })
  )

  it.effect("bounds the body of open, by the caller's budget or else the client's", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "t".repeat(5000)))
      const drain = (options?: Http.OpenOptions) =>
        Effect.gen(function* () {
          const c = yield* client(sim.url, once)
          const opened = yield* c.open(HttpClientRequest.get("/file"), options)
          return yield* Stream.runDrain(opened.body)
        }).pipe(
          Effect.scoped,
          Effect.provide(Source.layer),
          (effect) => withVirtualTime(effect, "1 second"),
          Effect.exit
        )
      sim.inject({ _tag: "Trickle", pauseMillis: 5 }, { times: 2 })
      const own = failure(yield* drain({ totalTimeout: "20 seconds" }))
      assert.isTrue(isTimeout(own) && own.message.includes("20 s in all"), own.message)
      const byDefault = failure(yield* drain())
      assert.isTrue(isTimeout(byDefault) && byDefault.message.includes("5 min in all"), byDefault.message)
    })
  )

  it.effect("hands over a body in an encoding the request did not ask for as it came", () =>
    Effect.gen(function* () {
      const payload = "contest,votes\nmayor,1204\n".repeat(100)
      const gzipped = gzipSync(payload)
      const sim = yield* Simulator.serve(() => ({
        status: 200,
        headers: { "content-type": "text/csv", "content-encoding": "gzip" },
        body: gzipped
      }))
      const raw = yield* send(sim.url, identity("/file.csv"))
      assert.deepStrictEqual(raw.bytes, new Uint8Array(gzipped))
      assert.strictEqual(raw.headers["content-encoding"], "gzip")
      const asked = yield* send(sim.url, HttpClientRequest.get("/file.csv"))
      assert.strictEqual(asked.text, payload, "a body in an encoding asked for is decoded")
    })
  )

  it.effect("does not inflate a gzip bomb asked for as identity, and bounds one asked for as gzip", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "[]"))
      const limit = { maxBodyBytes: 8 * 1024 * 1024 }
      sim.inject({ _tag: "GzipBomb" })
      const raw = yield* send(sim.url, identity("/file.json"), limit)
      assert.strictEqual(raw.bytes.byteLength, sim.requests[0]!.bytesSent, "the bytes were not handed over as sent")
      sim.inject({ _tag: "GzipBomb" })
      const inflated = failure(yield* Effect.exit(send(sim.url, HttpClientRequest.get("/file.json"), limit)))
      assert.isTrue(inflated instanceof SourceError.DecodeError, inflated.message)
      assert.include(inflated.message, "larger than")
    })
  )
})
