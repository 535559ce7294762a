import { assert, describe, it } from "@effect/vitest"
import { Http, SourceError } from "@electfeed/core"
import { DateTime, Effect, Exit, Result } from "effect"
import { Headers, HttpClientRequest } from "effect/http"
import { CaSos, ContestId, Endpoints } from "../src/index.ts"
import * as Bodies from "../src/internal/bodies.ts"

const governor = Result.getOrThrow(Endpoints.parse("/returns/governor"))
const ids = ["02000000000059", "11000001000059"].map((text) => Result.getOrThrow(ContestId.parse(text)))

describe("bodies", () => {
  it("finds a request's details from an equal request, not only from the same object", () => {
    const query = Bodies.queryRequest(ids)
    const endpoint: Bodies.ContestsRequest = {
      request: Bodies.endpointRequest(governor, true),
      origin: { _tag: "Endpoint", endpoint: governor },
      csv: "candidates",
      optional: true
    }
    const planned = Bodies.plannedBy([query, endpoint])
    assert.strictEqual(planned(HttpClientRequest.get(query.request.url)), query)
    assert.strictEqual(planned(Bodies.endpointRequest(governor, true)), endpoint)
    assert.isUndefined(planned(Bodies.endpointRequest(governor, false)))
  })

  it.effect("a body that answers no planned request is a DecodeError, not a defect", () =>
    Effect.gen(function* () {
      const client = yield* Http.makeClient({
        source: CaSos.id,
        connector: CaSos.connector,
        baseUrl: "https://api.sos.ca.gov"
      })
      const body: Http.Body = {
        status: 200,
        headers: Headers.empty,
        url: "https://api.sos.ca.gov/returns/elsewhere",
        observedAt: DateTime.makeUnsafe("2026-11-04T07:55:00Z"),
        bytes: new Uint8Array(),
        sha256: "0".repeat(64),
        text: ""
      }
      const exit = yield* Effect.exit(Bodies.contestsOf(client, undefined, body))
      const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((reason) => reason._tag === "Fail") : undefined
      assert.instanceOf(failure?.error, SourceError.DecodeError)
    }).pipe(Effect.provide(Http.layer))
  )
})
