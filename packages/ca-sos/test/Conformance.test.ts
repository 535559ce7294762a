import { describe } from "@effect/vitest"
import { Conformance } from "@electfeed/core/testing/vitest"
import { type Config, source } from "../src/index.ts"
import { serve } from "../src/testing/index.ts"

describe("every family, JSON (the default config: two dozen requests a read)", () => {
  Conformance.suite({ source, simulator: serve(), config: (url) => ({ baseUrl: url }) })
})

describe("a county's breakdowns and status, CSV", () => {
  Conformance.suite({
    source,
    simulator: serve(),
    config: (url): Config.Config => ({
      baseUrl: url,
      format: "csv",
      county: "lake",
      endpoints: ["/returns/governor", "/returns/ballot-measures", "/returns/status"]
    })
  })
})

describe("contests by id through the batch query", () => {
  Conformance.suite({
    source,
    simulator: serve(),
    config: (url) => ({
      baseUrl: url,
      contests: ["02000000000059", "02000000000017", "19000000000259", "14000000000059"]
    })
  })
})
