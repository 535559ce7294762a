/**
 * A config file that polls the CA SOS simulator every second (governor and ballot measures) into a
 * SQLite store of its own.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { tempDirectory } from "./Backends.ts"

export const caSosPollConfig = (name: string, baseUrl: string, extra: ReadonlyArray<string> = []) => {
  const dir = tempDirectory(name)
  const config = path.join(dir, "electfeed.yaml")
  const store = path.join(dir, "feed.db")
  fs.writeFileSync(
    config,
    [
      "store:",
      `  url: ${store}`,
      "sources:",
      "  ca-sos:",
      "    every: 1 second",
      "    config:",
      `      baseUrl: ${baseUrl}`,
      "      endpoints: [/returns/governor, /returns/ballot-measures]",
      "      rateLimit: { limit: 100, window: 1 second }",
      ...extra
    ].join("\n")
  )
  return { config, store }
}
