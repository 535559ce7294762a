// The conformance cases hold for a source whose limiter lets one request go at once (`burst: 1`), the
// others each after its interval of virtual time, even when the fault hits a later request.
import { assert, describe, it } from "@effect/vitest"
import { Redacted } from "effect"
import { Conformance } from "../src/testing/index.ts"
import * as Example from "./fixtures/Example.ts"

const cases = Conformance.cases({
  source: Example.source,
  simulator: Example.serve,
  config: (url) => ({ ...Example.config(url), burst: 1 }),
  badCredentials: (url) => ({ baseUrl: url, apiKey: Redacted.make("wrong-key"), burst: 1 }),
  fileTarget: Example.isFileRequest,
  faultTarget: Example.isFileRequest
})

describe("conformance with burst 1", () => {
  const retryAfter = cases.find((each) => each.name.startsWith("a 429 with Retry-After"))
  it("has the Retry-After case", () => assert.isDefined(retryAfter))
  if (retryAfter !== undefined) it.effect(retryAfter.name, () => retryAfter.run, 60_000)
})
