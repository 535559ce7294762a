import { request as httpRequest, type IncomingHttpHeaders } from "node:http"
import { createGunzip } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Simulator from "../src/testing/Simulator.ts"

interface Raw {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** A GET as plain `node:http` sees it (no decoding, no redirects), read up to `limit` bytes of body. */
const get = (url: string, headers: Record<string, string> = {}, limit = 16 * 1024 * 1024) =>
  Effect.callback<Raw>((resume) => {
    const request = httpRequest(url, { headers }, (response) => {
      const parts: Array<Buffer> = []
      let size = 0
      const done = () =>
        resume(
          Effect.succeed({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) })
        )
      response.on("data", (part: Buffer) => {
        parts.push(part)
        size += part.byteLength
        if (size >= limit) {
          response.destroy()
          done()
        }
      })
      response.on("end", done)
    })
    request.end()
    return Effect.sync(() => request.destroy())
  })

/** How many bytes `gzip` inflates to, counting no further than `limit`. */
const inflatedSize = (gzip: Buffer, limit: number) =>
  Effect.callback<number>((resume) => {
    const gunzip = createGunzip()
    let size = 0
    gunzip.on("data", (part: Buffer) => {
      size += part.byteLength
      if (size >= limit) {
        gunzip.destroy()
        resume(Effect.succeed(size))
      }
    })
    gunzip.on("end", () => resume(Effect.succeed(size)))
    gunzip.end(gzip)
  })

const json = '{"contests":[{"id":"mayor","votes":1204}]}'

describe("Simulator hostile faults", () => {
  it.effect("redirect, 416 and a 206 of the wrong range answer as announced", () =>
    Effect.gen(function* () {
      let asked = 0
      const sim = yield* Simulator.serve(() => {
        asked++
        return { status: 200, headers: { "content-type": "application/json" }, body: json }
      })
      sim.inject({ _tag: "Redirect", status: 308, location: "http://127.0.0.1:9/elsewhere" })
      const redirect = yield* get(`${sim.url}/a`)
      assert.strictEqual(redirect.status, 308)
      assert.strictEqual(redirect.headers.location, "http://127.0.0.1:9/elsewhere")
      sim.inject({ _tag: "RangeNotSatisfiable" })
      const unsatisfiable = yield* get(`${sim.url}/file`, { range: "bytes=100-" })
      assert.strictEqual(unsatisfiable.status, 416)
      assert.strictEqual(unsatisfiable.headers["content-range"], "bytes */999")
      assert.strictEqual(asked, 0, "the handler was asked for a reply that a fault replaces")
      sim.inject({ _tag: "WrongRange" })
      const wrong = yield* get(`${sim.url}/file`, { range: "bytes=10-" })
      assert.strictEqual(wrong.status, 206)
      assert.strictEqual(wrong.headers["content-range"], `bytes 11-${10 + json.length}/${11 + json.length}`)
      assert.strictEqual(wrong.body.toString(), json)
    })
  )

  it.effect("deep nesting, invalid UTF-8 and a gzip bomb replace the body", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => ({
        status: 200,
        headers: { "content-type": "application/json" },
        body: json
      }))
      sim.inject({ _tag: "DeepNesting", depth: 1000 })
      const nested = (yield* get(`${sim.url}/a`)).body.toString()
      assert.strictEqual(nested, "[".repeat(1000) + "]".repeat(1000))
      sim.inject({ _tag: "InvalidUtf8" })
      const broken = (yield* get(`${sim.url}/a`)).body
      assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(broken))
      sim.inject({ _tag: "GzipBomb" })
      const bomb = yield* get(`${sim.url}/a`, { "accept-encoding": "identity" })
      assert.strictEqual(bomb.headers["content-encoding"], "gzip")
      assert.isBelow(bomb.body.byteLength, 5_000_000)
      const inflated = yield* inflatedSize(bomb.body, 256 * 1024 * 1024)
      assert.isAtLeast(inflated, 256 * 1024 * 1024, "the bomb does not inflate a hundredfold")
      assert.strictEqual(sim.requests[2]!.bytesSent, bomb.body.byteLength)
    })
  )

  it.effect("an endless body has no length and goes on as long as it is read", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => ({ status: 200, body: json }))
      sim.inject({ _tag: "EndlessBody" })
      const endless = yield* get(`${sim.url}/a`, {}, 8 * 1024 * 1024)
      assert.isUndefined(endless.headers["content-length"])
      assert.isAtLeast(endless.body.byteLength, 8 * 1024 * 1024)
      assert.isTrue(
        endless.body
          .subarray(0, json.length * 3)
          .toString()
          .startsWith(json + json)
      )
      assert.isAtLeast(sim.requests[0]!.bytesSent, 8 * 1024 * 1024)
    })
  )
})
