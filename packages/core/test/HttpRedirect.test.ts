import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { HttpClientRequest } from "effect/http"
import { SourceError } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { failure, secret, send, text } from "./fixtures/Clients.ts"

const post = (path: string) => HttpClientRequest.post(path).pipe(HttpClientRequest.bodyJsonUnsafe({ id: "1253" }))

const carriesSecret = (request: Simulator.LoggedRequest) =>
  Object.values(request.headers).some((value) => value?.includes(secret)) ||
  request.query.includes(secret) ||
  request.body.includes(secret)

describe("Http redirects", () => {
  it.effect("never takes the API key to another origin: such a redirect is refused, typed, naming the target", () =>
    Effect.gen(function* () {
      const foreign = yield* Simulator.serve(() => text(200, "thanks for the key"))
      const api = yield* Simulator.serve(() => text(200, "api"))
      const statuses = [301, 302, 303, 307, 308] as const
      for (const status of statuses) {
        api.inject({ _tag: "Redirect", status, location: `${foreign.url}/collect?X-Amz-Signature=deadbeef&page=2` })
        const error = failure(yield* Effect.exit(send(api.url, post("/getQueryResults"))))
        assert.isTrue(error instanceof SourceError.RequestRejected && error.status === status, error.message)
        assert.include(error.message, `${foreign.url}/collect?page=2`)
        assert.notInclude(error.message, "deadbeef")
        assert.notInclude(error.message, secret)
      }
      assert.deepStrictEqual(foreign.requests, [], "a request reached the foreign origin")
      assert.strictEqual(api.requests.length, statuses.length, "a refused redirect was retried")
    })
  )

  it.effect("sends the API key to the origin of baseUrl only, not to a file host on another", () =>
    Effect.gen(function* () {
      const files = yield* Simulator.serve(() => text(200, "file"))
      const api = yield* Simulator.serve(() => text(200, "api"))
      yield* send(api.url, HttpClientRequest.get(`${files.url}/results.csv`))
      yield* send(api.url, HttpClientRequest.get("/v1/contests"))
      assert.isFalse(carriesSecret(files.requests[0]!), "the file host got the key")
      assert.strictEqual(api.requests[0]!.headers["x-api-key"], secret)
    })
  )

  it.effect("follows a redirect within the origin with the key, and one anywhere for a request without secrets", () =>
    Effect.gen(function* () {
      const foreign = yield* Simulator.serve((request) => text(200, `${request.method} ${request.body}`))
      const api = yield* Simulator.serve((request) =>
        request.path === "/old" ? text(301, "", { location: "/new" }) : text(200, `new ${request.method}`)
      )
      const moved = yield* send(api.url, HttpClientRequest.get("/old"))
      assert.strictEqual(moved.text, "new GET")
      assert.deepStrictEqual(
        api.requests.map((r) => [r.path, r.headers["x-api-key"]]),
        [
          ["/old", secret],
          ["/new", secret]
        ]
      )
      const noSecrets = { headers: {} }
      api.inject({ _tag: "Redirect", status: 307, location: `${foreign.url}/kept` })
      const kept = yield* send(api.url, post("/x"), noSecrets)
      assert.strictEqual(kept.text, 'POST {"id":"1253"}', "a 307 keeps the method and the body")
      api.inject({ _tag: "Redirect", status: 303, location: `${foreign.url}/seen` })
      const seen = yield* send(api.url, post("/x"), noSecrets)
      assert.strictEqual(seen.text, "GET ", "a 303 becomes a GET without a body")
      assert.isFalse(foreign.requests.some(carriesSecret))
    })
  )

  it.effect("gives up after five redirects in a row, typed", () =>
    Effect.gen(function* () {
      const api = yield* Simulator.serve((request) => text(302, "", { location: `${request.path}x` }))
      const error = failure(yield* Effect.exit(send(api.url, HttpClientRequest.get("/loop"))))
      assert.isTrue(error instanceof SourceError.RequestRejected && error.status === 302, error.message)
      assert.include(error.message, "more than 5 redirects")
      assert.strictEqual(api.requests.length, 6)
    })
  )
})
