/** Config files that tests write: a SQLite store of their own, and the `sources:` entries they use. */
import * as fs from "node:fs"
import * as path from "node:path"

/** Writes `dir/electfeed.yaml`, storing into `dir/feed.db`, with `sources` (lines under `sources:`); its path. */
export const sqliteConfig = (dir: string, sources: ReadonlyArray<string>): string => {
  const config = path.join(dir, "electfeed.yaml")
  fs.writeFileSync(config, ["store:", `  url: ${path.join(dir, "feed.db")}`, "sources:", ...sources].join("\n"))
  return config
}

/** CA SOS's governor contest, from the simulator at `url`. */
export const caSosGovernor = (url: string) => [
  "  ca-sos:",
  `    config: { baseUrl: "${url}", endpoints: [/returns/governor] }`
]

/** The workspace connector `@electfeed/acme` (made by the generator), as `acme-county`, from `url`. */
export const acmeCounty = (url: string) => [
  "  acme-county:",
  '    use: "@electfeed/acme"',
  `    config: { baseUrl: "${url}", rateLimit: { limit: 100, window: 1 second } }`
]
