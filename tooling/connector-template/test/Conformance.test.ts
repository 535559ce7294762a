import { Conformance } from "@electfeed/core/testing/vitest"
// api-key: import { Redacted } from "effect"
import { source } from "../src/index.ts"
import * as Testing from "../src/testing/index.ts"

Conformance.suite({
  source,
  template: true, // template: the template's own placeholders must be found
  simulator: Testing.serve(),
  config: (url) => ({ baseUrl: url }), // public
  // api-key: config: (url) => ({ baseUrl: url, apiKey: Redacted.make(Testing.Simulator.defaultApiKey) }),
  // api-key: badCredentials: (url) => ({ baseUrl: url, apiKey: Redacted.make("not-the-key") }),
  minimalConfig: {} // public
  // api-key: minimalConfig: { apiKey: "a-key" },
})
