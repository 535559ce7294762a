/**
 * The configuration of the Ballotpedia source, and the settings it resolves to.
 *
 * The config is decoded from JSON (a file, flags, the environment). The API key decodes from a plain
 * string to a `Redacted` value and stays one until core puts it on the wire.
 *
 * @since 0.1.0
 */
import { Download, RateLimit, Retry, Source } from "@electfeed/core"
import { Schema } from "effect"

/**
 * The file format asked of `getQueryResults`.
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
 * The feed entity a dataset's rows become.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Kind = Schema.Literals(["Candidate", "Endorsement", "DatasetRow"])

/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * The config of the source.
 *
 * - `baseUrl`: the API, default `https://api.ballotpedia.org`.
 * - `apiKey`: the `x-api-key`, a plain string in JSON, `Redacted` once decoded.
 * - `datasets`: the dataset ids to offer as streams; default every dataset `getQueryList` lists.
 * - `format`: `json` (default) or `csv`.
 * - `malformedRows`: `skip` (default: report the row and go on) or `fail` (end the read with its error).
 * - `kinds`: the entity of a dataset's rows, by dataset id; default inferred from its title.
 * - `rateLimit`: default Ballotpedia's documented 5 requests per second.
 * - `retry`: some of core's retry settings replaced.
 * - `maxDownloadBytes`: the largest dataset file accepted, in bytes; a larger one fails the read of its
 *   stream with a `DecodeError`. Default core's 20 GiB.
 * - `maxDownloadDuration`: the longest a dataset file's download may take (`"30 minutes"`); past it the
 *   read of its stream fails with `Transient`, and the next read resumes the file. Default core's 2 hours.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  baseUrl: Schema.optionalKey(Schema.String),
  apiKey: Schema.RedactedFromValue(Schema.NonEmptyString),
  datasets: Schema.optionalKey(Schema.Array(Schema.String)),
  format: Schema.optionalKey(Format),
  malformedRows: Schema.optionalKey(Source.MalformedRows),
  kinds: Schema.optionalKey(Schema.Record(Schema.String, Kind)),
  rateLimit: Schema.optionalKey(RateLimit.Settings),
  retry: Schema.optionalKey(Retry.Settings),
  maxDownloadBytes: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  maxDownloadDuration: Schema.optionalKey(Schema.DurationFromString)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type

/**
 * The API's documented limit: 5 requests per second.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultRateLimit: RateLimit.RateLimitPolicy = { limit: 5, window: "1 second" }

/**
 * @since 0.1.0
 * @category defaults
 */
export const defaultBaseUrl = "https://api.ballotpedia.org"

/**
 * Fills in the defaults of `config`.
 *
 * @since 0.1.0
 * @category settings
 */
export const settings = (config: Config) => ({
  baseUrl: config.baseUrl ?? defaultBaseUrl,
  apiKey: config.apiKey,
  datasets: config.datasets,
  format: config.format ?? "json",
  malformedRows: config.malformedRows ?? "skip",
  kinds: config.kinds ?? {},
  rateLimit: config.rateLimit ?? defaultRateLimit,
  maxDownloadBytes: config.maxDownloadBytes ?? Download.defaultMaxBytes,
  maxDownloadDuration: config.maxDownloadDuration ?? Download.defaultMaxDuration
})

/**
 * A config with its defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export type Settings = ReturnType<typeof settings>

/**
 * The kind of a dataset's rows: the configured one, else from its title (`endorsement` before
 * `candidate`, since an endorsements title often names candidates too), else `DatasetRow`.
 *
 * @since 0.1.0
 * @category settings
 */
export const kindOf = (settings: Settings, dataset: { readonly id: string; readonly title: string }): Kind =>
  settings.kinds[dataset.id] ??
  (/endorsement/i.test(dataset.title) ? "Endorsement" : /candidate/i.test(dataset.title) ? "Candidate" : "DatasetRow")
