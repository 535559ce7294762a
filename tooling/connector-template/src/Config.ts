/**
 * What a user sets to read the Example State API.
 *
 * @since 0.1.0
 */
import { RateLimit, Retry } from "@electfeed/core"
import { Effect, Schema } from "effect"

/**
 * The API's public address. The conformance suite fails while it is a placeholder.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultBaseUrl = "TODO: the API's base URL"

/**
 * A polite pace for a public API that publishes no limit.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit.RateLimitPolicy = { limit: 2, window: "1 second" }

/**
 * The config, decoded from JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  baseUrl: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed(defaultBaseUrl))),
  // api-key: /** Sent as `x-api-key`: a plain string in JSON, `Redacted` once decoded, so it never shows in logs. */
  // api-key: apiKey: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  rateLimit: Schema.optionalKey(RateLimit.Settings),
  retry: Schema.optionalKey(Retry.Settings)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type
