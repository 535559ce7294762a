import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll } from "@effect/vitest"
import { Download } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing/vitest"
import { Duration, Redacted } from "effect"
import { source } from "../src/index.ts"
import { Simulator } from "../src/testing/index.ts"

// The suite reads into core's default download directory, where an interrupted read leaves its part
// file: ids of their own keep these files apart from anyone else's, and let them be removed at the end.
const prefix = "conformance-"
const simulator = Simulator.serve({
  datasets: Simulator.defaultDatasets.map((dataset) => ({ ...dataset, id: `${prefix}${dataset.id}` }))
})
// Downloads are capped well below the suite's hang bounds, so the hostile file-host cases (an endless or
// trickling body) end on the source's own limits.
const config = (url: string) => ({
  baseUrl: url,
  apiKey: Redacted.make(Simulator.defaultApiKey),
  maxDownloadBytes: 64 * 1024 * 1024,
  maxDownloadDuration: Duration.minutes(30)
})
const badCredentials = (url: string) => ({ baseUrl: url, apiKey: Redacted.make("not-the-key") })

// Faults on the API's requests (the default), then on the file host's.
Conformance.suite({ source, simulator, config, badCredentials })
Conformance.suite({ source, simulator, config, badCredentials, faultTarget: Simulator.isFileRequest })

afterAll(() => {
  const directory = Download.DownloadDirectory.defaultValue()
  for (const name of fs.existsSync(directory) ? fs.readdirSync(directory) : []) {
    if (name.startsWith(`ballotpedia-${prefix}`)) fs.rmSync(path.join(directory, name), { force: true })
  }
})
