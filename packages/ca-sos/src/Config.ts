/**
 * The connector's configuration, decodable from JSON. Every setting is optional.
 *
 * ```json
 * {
 *   "baseUrl": "https://api.sos.ca.gov",
 *   "endpoints": ["/returns/governor", "/returns/us-rep/district/1"],
 *   "contests": ["02000000000059", "11000001000059"],
 *   "county": "lake",
 *   "format": "json",
 *   "rateLimit": { "limit": 3, "window": "1 second" },
 *   "retry": { "maxAttempts": 3 }
 * }
 * ```
 *
 * @since 0.1.0
 */
import { RateLimit, Retry } from "@electfeed/core"
import { Result, Schema } from "effect"
import * as Plan from "./internal/plan.ts"

/**
 * `json` (the API's default) or `csv` (`?f=csv`; the batch query has none).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Format = Schema.Literals(["json", "csv"])

/**
 * @since 0.1.0
 * @category models
 */
export type Format = typeof Format.Type

/**
 * The configuration.
 *
 * - `baseUrl`: default {@link defaultBaseUrl}.
 * - `endpoints`: paths to read (`/returns/governor`, `/returns/us-rep/district/all`, …).
 * - `contests`: 14-digit contest ids, read through the batch query.
 * - `county`: a county slug; every endpoint is read as that county's breakdown.
 * - `format`: `json` (default) or `csv`.
 * - `rateLimit`: requests per window; default {@link defaultRateLimit}.
 * - `retry`: settings of core's retry policy to replace.
 *
 * Without `endpoints` and `contests`, the connector reads `Endpoints.defaults`. A config that cannot be
 * read (a malformed contest id, an unknown endpoint or county, `contests` with `format: "csv"`, nothing to
 * read) does not decode, and the failure names the offending id, path or county.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  baseUrl: Schema.optionalKey(Schema.String),
  endpoints: Schema.optionalKey(Schema.Array(Schema.String)),
  contests: Schema.optionalKey(Schema.Array(Schema.String)),
  county: Schema.optionalKey(Schema.String),
  format: Schema.optionalKey(Format),
  rateLimit: Schema.optionalKey(RateLimit.Settings),
  retry: Schema.optionalKey(Retry.Settings)
}).check(
  Schema.makeFilter((config) =>
    Result.match(Plan.make(config), { onFailure: (reason) => reason, onSuccess: () => true })
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type

/**
 * The SOS's API.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultBaseUrl = "https://api.sos.ca.gov"

/**
 * Three requests a second: the pace of well-behaved election-night clients; a default read of every
 * family takes about eight seconds.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit.RateLimitPolicy = { limit: 3, window: "1 second" }
