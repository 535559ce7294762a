/**
 * A Clarity (Scytl) election-night results site as an electfeed source, declared with core's
 * `Source.define` and `Source.versioned`: each read asks `current_ver.txt` for the version published
 * last; an unchanged version downloads and emits nothing, a new one's report zips are downloaded and
 * parsed as they stream from disk.
 *
 * @since 0.1.0
 */
import { Http, Source } from "@electfeed/core"
import pkg from "../package.json" with { type: "json" }
import * as Config from "./Config.ts"
import * as Reports from "./internal/reports.ts"
import * as Wire from "./Wire.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const id = "clarity"

/**
 * @since 0.1.0
 * @category constants
 */
export const connector: string = Http.connectorOf(pkg)

const settings = (config: Config.Config) => ({
  // A zip of a version is at most as large as what it may inflate to.
  maxBytes: config.maxUncompressedBytes ?? Config.defaultMaxUncompressedBytes,
  maxDuration: "30 minutes" as const
})

/**
 * The source: `results` (every contest of `detail.xml` by reporting unit) and `summary` (contest
 * totals of `summary.csv`).
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.define({
  id,
  package: pkg,
  description:
    "Clarity (Scytl) election-night results sites (results.enr.clarityelections.com): every contest of a state or county site, by county or precinct, with vote types",
  config: Config.Config,
  // Clarity republishes every few minutes on election night; a read of an unchanged version costs one small request.
  every: "30 seconds",
  flags: [
    {
      name: "site",
      key: "site",
      metavar: "PATH",
      description: "The site: a state's USPS code, optionally /County, e.g. GA or GA/Fulton"
    },
    { name: "election", key: "election", metavar: "ID", description: "The election's id on the site, e.g. 105369" },
    { name: "level", key: "level", description: "The reporting units read besides the site's total" }
  ],
  http: (config) => ({
    baseUrl: config.baseUrl,
    rateLimit: config.rateLimit ?? Config.defaultRateLimit,
    retry: config.retry
  }),
  streams: {
    results: Source.versioned({
      kind: "ContestResult",
      key: "<contest key>, or <contest key>/county/<name> or <contest key>/precinct/<name> for a reporting unit",
      description: "Every contest of detail.xml: the site's total and each county or precinct of the level",
      version: Wire.currentVersion,
      parseVersion: Wire.parseVersion,
      file: (version, config) => Wire.report(config, version, "detailxml.zip"),
      extension: "zip",
      entities: Reports.detail,
      settings
    }),
    summary: Source.versioned({
      kind: "ContestResult",
      key: "the contest's title (summary.csv has no contest ids)",
      description: "Contest totals of summary.csv: lighter than detail.xml, with no vote types or units",
      version: Wire.currentVersion,
      parseVersion: Wire.parseVersion,
      file: (version, config) => Wire.report(config, version, "summary.zip"),
      extension: "zip",
      entities: Reports.summary,
      settings
    })
  }
})
