/**
 * A config file that polls the CA SOS simulator every second (governor and ballot measures) into a
 * SQLite store of its own.
 */
import * as path from "node:path"
import { tempDirectory } from "./Backends.ts"
import { sqliteConfig } from "./Configs.ts"

export const caSosPollConfig = (name: string, baseUrl: string, extra: ReadonlyArray<string> = []) => {
  const dir = tempDirectory(name)
  const config = sqliteConfig(dir, [
    "  ca-sos:",
    "    every: 1 second",
    "    config:",
    `      baseUrl: ${baseUrl}`,
    "      endpoints: [/returns/governor, /returns/ballot-measures]",
    "      rateLimit: { limit: 100, window: 1 second }",
    ...extra
  ])
  return { config, store: path.join(dir, "feed.db") }
}
