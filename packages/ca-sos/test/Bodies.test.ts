import { assert, describe, it } from "@effect/vitest"
import { Http, SourceError } from "@electfeed/core"
import { DateTime, Effect, Exit, Result } from "effect"
import { Headers, HttpClientRequest } from "effect/http"
import { ContestId, Endpoints, source } from "../src/index.ts"
import * as Bodies from "../src/internal/bodies.ts"
import * as Plan from "../src/internal/plan.ts"

const governor = Result.getOrThrow(Endpoints.parse("/returns/governor"))
const ids = ["02000000000059", "11000001000059"].map((text) => Result.getOrThrow(ContestId.parse(text)))

describe("bodies", () => {
  it("finds a request's details from an equal request, not only from the same object", () => {
    const query = Plan.queryRequest(ids)
    const endpoint = Plan.endpointRequest(governor, true)
    const planned = Plan.plannedBy([query, endpoint])
    assert.strictEqual(planned(HttpClientRequest.get(query.request.url)), query)
    assert.strictEqual(planned(Plan.endpointRequest(governor, true).request), endpoint)
    assert.isUndefined(planned(Plan.endpointRequest(governor, false).request))
  })

  it.effect("a body that answers no planned request is a DecodeError, not a defect", () =>
    Effect.gen(function* () {
      const client = yield* Http.makeClient({
        source: source.id,
        connector: source.connector,
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
      const exit = yield* Effect.exit(Bodies.contestResults(client, undefined, false, body))
      const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((reason) => reason._tag === "Fail") : undefined
      assert.instanceOf(failure?.error, SourceError.DecodeError)
    }).pipe(Effect.provide(Http.layer))
  )
})
