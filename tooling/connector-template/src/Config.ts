/**
 * What a user sets to read the Example State results API.
 *
 * @since 0.1.0
 */
import { RateLimit, Retry } from "@electfeed/core"
import { Schema } from "effect"

/**
 * The API's public address.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultBaseUrl = "https://results.example-state.gov"

/**
 * A polite pace for a public API that publishes no limit.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit.RateLimitPolicy = { limit: 2, window: "1 second" }

/**
 * The config, decoded from JSON. The key is a plain string in JSON and `Redacted` once decoded, so it
 * never shows in logs or errors.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  baseUrl: Schema.optionalKey(Schema.String),
  apiKey: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  rateLimit: Schema.optionalKey(RateLimit.Settings),
  retry: Schema.optionalKey(Retry.Settings)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type
