import { describe } from "@effect/vitest"
import { Conformance } from "@electfeed/core/testing/vitest"
import { Duration } from "effect"
import { type Config, source } from "../src/index.ts"
import * as Testing from "../src/testing/index.ts"

const site = (url: string, more?: Partial<Config.Config>): Config.Config => ({
  baseUrl: url,
  site: "GA",
  election: Testing.Election.election.id,
  level: "county",
  voteTypes: true,
  // Small enough that an endless body or a bomb ends the read long before the suite calls it a hang.
  maxUncompressedBytes: 64 * 1024 * 1024,
  ...more
})

describe("a state site by county, with vote types", () => {
  Conformance.suite({
    source,
    simulator: Testing.serve(),
    config: (url) => site(url),
    minimalConfig: { site: "GA", election: "105369" }
  })
})

describe("a county site by precinct, without vote types; faults on the report zips only", () => {
  Conformance.suite({
    source,
    simulator: Testing.serve(),
    // The zip is the second request: a limiter with room for both lets the 429 case's clock stand still
    // until the zip's retry waits.
    config: (url) =>
      site(url, {
        site: "GA/Birchwood",
        level: "precinct",
        voteTypes: false,
        rateLimit: { limit: 10, window: Duration.seconds(1), burst: 2 }
      }),
    faultTarget: (request) => request.path.endsWith(".zip")
  })
})
