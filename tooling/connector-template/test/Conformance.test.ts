import { Conformance } from "@electfeed/core/testing"
import { Redacted } from "effect"
import { source } from "../src/index.ts"
import * as Testing from "../src/testing/index.ts"

Conformance.suite({
  source,
  simulator: Testing.serve(),
  config: (url) => ({ baseUrl: url, apiKey: Redacted.make(Testing.Simulator.defaultApiKey) }),
  badCredentials: (url) => ({ baseUrl: url, apiKey: Redacted.make("not-the-key") })
})
