import { Redacted } from "effect"
import { Conformance } from "../src/testing/vitest/index.ts"
import * as Example from "./fixtures/Example.ts"

Conformance.suite({
  source: Example.source,
  simulator: Example.serve,
  config: Example.config,
  badCredentials: (url) => ({ baseUrl: url, apiKey: Redacted.make("wrong-key") }),
  fileTarget: Example.isFileRequest
})
