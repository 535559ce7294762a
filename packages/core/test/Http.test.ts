import { createHash } from "node:crypto"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Option, Schema, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { Http, Retry, Source, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { client, failure, fetchPath, secret, send, text } from "./fixtures/Clients.ts"

describe("Http", () => {
  it.effect("classifies statuses into typed errors", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve((request) => {
        const status = Number(request.path.slice(1))
        return text(status, `status ${status}`, status === 429 ? { "retry-after": "1" } : {})
      })
      const tagOf = (status: number) =>
        Effect.map(Effect.exit(fetchPath(sim.url, `/${status}`, { retry: Retry.policy({ maxAttempts: 1 }) })), (exit) =>
          failure(exit)
        )
      assert.strictEqual((yield* tagOf(401))._tag, "AuthError")
      assert.strictEqual((yield* tagOf(403))._tag, "AuthError")
      assert.strictEqual((yield* tagOf(404))._tag, "NotFound")
      const rejected = yield* tagOf(422)
      assert.strictEqual(rejected._tag, "RequestRejected")
      assert.include(rejected.message, "status 422")
      const timeout = yield* tagOf(408)
      assert.strictEqual(timeout instanceof SourceError.Transient && timeout.reason, "timeout")
      const server = yield* tagOf(502)
      assert.strictEqual(server instanceof SourceError.Transient && server.status, 502)
      const limited = yield* tagOf(429)
      assert.deepStrictEqual(
        limited instanceof SourceError.RateLimited ? Option.map(limited.retryAfter, Duration.toMillis) : undefined,
        Option.some(1000)
      )
    })
  )

  it.effect("retries a transient failure and gives up after the policy's attempts", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "fine"))
      sim.inject({ _tag: "Status", status: 503 }, { times: 2 })
      const body = yield* fetchPath(sim.url, "/x")
      assert.strictEqual(body.text, "fine")
      assert.deepStrictEqual(
        sim.requests.map((r) => r.status),
        [503, 503, 200]
      )
      sim.inject({ _tag: "Status", status: 500 }, { times: 10 })
      const exit = yield* Effect.exit(fetchPath(sim.url, "/x"))
      assert.strictEqual(failure(exit)._tag, "Transient")
      assert.strictEqual(sim.requests.length, 3 + 3)
    })
  )

  it.effect("sends a body of bytes, and refuses a streamed one as a configuration error", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "fine"))
      const posted = yield* send(
        sim.url,
        HttpClientRequest.post("/q").pipe(HttpClientRequest.bodyJsonUnsafe({ id: 7 }))
      )
      assert.strictEqual(posted.text, "fine")
      assert.strictEqual(sim.requests[0]!.method, "POST")
      assert.strictEqual(sim.requests[0]!.body, '{"id":7}')
      const streamed = HttpClientRequest.post("/q").pipe(
        HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("{}")))
      )
      const refused = failure(yield* Effect.exit(send(sim.url, streamed)))
      assert.strictEqual(refused._tag, "ConfigError")
      assert.strictEqual(sim.requests.length, 1, "a refused body went out")
    })
  )

  it.effect("retries a body that breaks off mid-way", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "x".repeat(10_000)))
      sim.inject({ _tag: "ResetMidBody" })
      const body = yield* fetchPath(sim.url, "/x")
      assert.strictEqual(body.text.length, 10_000)
      assert.strictEqual(sim.requests.length, 2)
    })
  )

  it.effect("sends the default headers, the user agent and the secret only on the wire", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve((request) => text(400, `rejected key ${request.headers["x-api-key"]}`))
      const exit = yield* Effect.exit(fetchPath(sim.url, "/x"))
      const request = sim.requests[0]!
      assert.strictEqual(request.headers["x-api-key"], secret)
      assert.strictEqual(request.headers["user-agent"], "electfeed (test@1.2.3)")
      assert.match(request.headers["accept-encoding"] ?? "", /gzip/)
      const error = failure(exit)
      assert.strictEqual(error._tag, "RequestRejected")
      assert.notInclude(error.message, secret)
      assert.notInclude(JSON.stringify(error), secret)
      assert.include(error.message, "<redacted>")
    })
  )

  it.effect("decodes gzip bodies and hashes the body as received", () =>
    Effect.gen(function* () {
      const payload = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ i, name: `Row ${i}` })) })
      const sim = yield* Simulator.serve(() => ({
        status: 200,
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body: gzipSync(payload)
      }))
      const body = yield* fetchPath(sim.url, "/data.json")
      assert.strictEqual(body.text, payload)
      assert.strictEqual(body.sha256, createHash("sha256").update(payload).digest("hex"))
      assert.strictEqual(body.url, `${sim.url}/data.json`)
    })
  )

  it.effect("bounds the size of a body held in memory", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "y".repeat(5000)))
      const exit = yield* Effect.exit(fetchPath(sim.url, "/big", { maxBodyBytes: 1000 }))
      const error = failure(exit)
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "larger than")
    })
  )

  it.effect("times out a response that never comes, and a body that stalls", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve((request) =>
        request.path === "/never" ? new Promise<Simulator.Reply>(() => {}) : text(200, "z".repeat(1000))
      )
      const once: Partial<Http.ClientOptions> = {
        retry: Retry.policy({ maxAttempts: 1 }),
        responseTimeout: "5 seconds",
        bodyTimeout: "5 seconds"
      }
      const never = failure(yield* Effect.exit(fetchPath(sim.url, "/never", once)))
      assert.isTrue(never instanceof SourceError.Transient && never.reason === "timeout", never.message)
      sim.inject({ _tag: "Stall" })
      const stalled = failure(yield* Effect.exit(fetchPath(sim.url, "/stall", once)))
      assert.isTrue(stalled instanceof SourceError.Transient && stalled.reason === "timeout", stalled.message)
      assert.include(stalled.message, "stalled")
    })
  )

  it.effect("keeps connections alive between requests", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "ok"))
      const sockets = yield* Effect.gen(function* () {
        const c = yield* client(sim.url)
        for (let i = 0; i < 5; i++) yield* c.fetch(HttpClientRequest.get(`/r${i}`))
        return sim.openConnections()
      }).pipe(Effect.provide(Source.layer), withVirtualTime)
      assert.strictEqual(sim.requests.length, 5)
      assert.strictEqual(sockets, 1)
    })
  )

  it.effect("names the JSON path and quotes the value that does not decode", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve((request) =>
        request.path === "/broken" ? text(200, '{"a":[{"b":1},{"b":2}') : text(200, '{"a":[{"b":1},{"b":"twelve"}]}')
      )
      const schema = Schema.Struct({ a: Schema.Array(Schema.Struct({ b: Schema.Number })) })
      const decode = (path: string) =>
        Effect.flatMap(client(sim.url), (c) => c.json(HttpClientRequest.get(path), schema)).pipe(
          Effect.provide(Source.layer),
          withVirtualTime,
          Effect.exit
        )
      const wrong = failure(yield* decode("/wrong"))
      assert.isTrue(wrong instanceof SourceError.DecodeError && wrong.path === "$.a[1].b", wrong.message)
      assert.include(wrong.message, "twelve")
      const broken = failure(yield* decode("/broken"))
      assert.strictEqual(broken._tag, "DecodeError")
      assert.include(broken.message, "not valid JSON")
    })
  )

  it.effect("keeps signatures out of the URLs it reports, and sends absolute URLs as they are", () =>
    Effect.gen(function* () {
      const files = yield* Simulator.serve(() => text(404, "NoSuchKey"))
      const api = yield* Simulator.serve(() => text(200, "api"))
      const exit = yield* Effect.exit(
        fetchPath(api.url, `${files.url}/f.json?AWSAccessKeyId=AKIA&Expires=99&Signature=abc%2Fdef&format=json`)
      )
      const error = failure(exit)
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual((error as SourceError.NotFound).url, `${files.url}/f.json?format=json`)
      assert.strictEqual(files.requests.length, 1)
      assert.strictEqual(api.requests.length, 0)
      const withParams = yield* Effect.flatMap(client(api.url), (c) =>
        c.fetch(HttpClientRequest.get("/returns/governor", { urlParams: { f: "csv", token: "t0ken" } }))
      ).pipe(Effect.provide(Source.layer), withVirtualTime)
      assert.strictEqual(withParams.url, `${api.url}/returns/governor?f=csv`, "query parameters belong to the URL")
      assert.strictEqual(api.requests[0]!.query, "?f=csv&token=t0ken")
    })
  )

  it.effect("keeps presigned-URL signatures out of error excerpts and provenance", () =>
    Effect.gen(function* () {
      const leak = "sig-0123456789abcdef"
      const files = yield* Simulator.serve((request) =>
        request.path === "/denied.json"
          ? text(400, `<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>${leak}</SignatureProvided></Error>`)
          : request.path === "/busy.json"
            ? text(503, `backend timeout fetching https://bucket/f.json?X-Amz-Signature=${leak}&v=1`)
            : text(200, "[]")
      )
      const once = { retry: Retry.policy({ maxAttempts: 1 }) }
      for (const path of ["/denied.json", "/busy.json"]) {
        const error = failure(yield* Effect.exit(fetchPath(files.url, path, once)))
        assert.notInclude(error.message, leak, error.message)
        assert.notInclude(JSON.stringify(error), leak)
      }
      const signed =
        `${files.url}/f.json?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40project&` +
        `X-Goog-Date=20261103T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=${leak}&alt=media`
      const { body, provenance } = yield* Effect.gen(function* () {
        const c = yield* client(files.url)
        const body = yield* c.fetch(HttpClientRequest.get(signed))
        return { body, provenance: c.provenance(body) }
      }).pipe(Effect.provide(Source.layer), withVirtualTime)
      assert.strictEqual(body.url, `${files.url}/f.json?alt=media`)
      assert.strictEqual(provenance.url, `${files.url}/f.json?alt=media`)
    })
  )

  it.effect("reports a refused connection as a transient network failure", () =>
    Effect.gen(function* () {
      const closed = yield* Effect.scoped(
        Effect.map(
          Simulator.serve(() => text(200, "")),
          (sim) => sim.url
        )
      )
      const error = failure(yield* Effect.exit(fetchPath(closed, "/x", { retry: Retry.policy({ maxAttempts: 1 }) })))
      assert.isTrue(error instanceof SourceError.Transient && error.reason === "network", error.message)
    })
  )

  it.effect("rejects a base URL that is not absolute", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(client("api.example.org").pipe(Effect.provide(Source.layer)))
      assert.strictEqual(failure(exit)._tag, "ConfigError")
    })
  )
})

describe("Http.connectorOf", () => {
  it("is name@version of a package.json, and refuses one without a valid name or version", () => {
    assert.strictEqual(
      Http.connectorOf({ name: "@electfeed/ca-sos", version: "1.4.0-next.2", private: false }),
      "@electfeed/ca-sos@1.4.0-next.2"
    )
    for (const manifest of [
      { name: "@electfeed/ca-sos" },
      { name: "@electfeed/ca-sos", version: "latest" },
      { version: "1.0.0" },
      { name: "Bad Name", version: "1.0.0" },
      null
    ]) {
      assert.throws(() => Http.connectorOf(manifest))
    }
  })
})
