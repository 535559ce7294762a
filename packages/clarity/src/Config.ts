/**
 * What a user sets to read a Clarity election-night results site.
 *
 * @since 0.1.0
 */
import { RateLimit, Retry } from "@electfeed/core"
import { Effect, Schema } from "effect"

/**
 * The host every Clarity site lives on.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultBaseUrl = "https://results.enr.clarityelections.com"

/**
 * A polite pace for a public host that publishes no limit.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit.RateLimitPolicy = { limit: 2, window: "1 second" }

/**
 * The most bytes `detail.xml` or `summary.csv` may inflate to: statewide precinct files run to hundreds of
 * MB, and a zip bomb stops here.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultMaxUncompressedBytes = 4 * 1024 ** 3

/**
 * A site's path: a state's USPS code, then optionally a county (`GA`, `GA/Fulton`, `WV`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SitePath = Schema.String.check(
  Schema.isPattern(/^[A-Z]{2}(?:\/[A-Za-z][A-Za-z_.-]*)?$/, {
    expected: "a state's USPS code, optionally followed by /County (GA, GA/Fulton)"
  })
)

/**
 * The reporting units a read emits besides the site's total: none (`state`), each `<County>`
 * (`county`, a state site's detail) or each `<Precinct>` (`precinct`, a county site's detail, or a
 * state's precinct-level one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Level = Schema.Literals(["state", "county", "precinct"])

/**
 * @since 0.1.0
 * @category models
 */
export type Level = typeof Level.Type

/**
 * The config, decoded from JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  baseUrl: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed(defaultBaseUrl))),
  site: SitePath,
  /** The election's id on the site (`105369`). */
  election: Schema.String.check(Schema.isPattern(/^\d{1,12}$/, { expected: "the election's numeric id" })),
  level: Level.pipe(Schema.withDecodingDefaultKey(Effect.succeed<Level>("county"))),
  /** Each selection's votes by vote type (Election Day, Advanced Voting, …). */
  voteTypes: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(true))),
  /** The site's IANA time zone, for timestamps written without a zone abbreviation. */
  timeZone: Schema.optionalKey(Schema.String),
  maxUncompressedBytes: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  rateLimit: Schema.optionalKey(RateLimit.Settings),
  retry: Schema.optionalKey(Retry.Settings)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type
