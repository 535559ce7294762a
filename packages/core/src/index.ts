/**
 * @electfeed/core: the framework every electfeed connector is built on.
 *
 * @since 0.1.0
 */

/**
 * Composing sources into one feed: merged reads, change detection by key.
 *
 * @since 0.1.0
 */
export * as Compose from "./Compose.ts"

/**
 * Rows out of large JSON and CSV bodies, with every problem located.
 *
 * @since 0.1.0
 */
export * as Decoding from "./Decoding.ts"

/**
 * Resumable downloads of large files from links that expire.
 *
 * @since 0.1.0
 */
export * as Download from "./Download.ts"

/**
 * The normalized feed model and its stable encoding.
 *
 * @since 0.1.0
 */
export * as Feed from "./Feed.ts"

/**
 * HTTP for sources, over undici.
 *
 * @since 0.1.0
 */
export * as Http from "./Http.ts"

/**
 * Local times in a named zone or with a US zone abbreviation, to ISO-8601 instants.
 *
 * @since 0.2.0
 */
export * as LocalTime from "./LocalTime.ts"

/**
 * Counts and percents as sources write them (`"1,234"`, `"96.3%"`).
 *
 * @since 0.2.0
 */
export * as Numbers from "./Numbers.ts"

/**
 * The party-code table: one code per party, whatever word a source writes.
 *
 * @since 0.2.0
 */
export * as Party from "./Party.ts"

/**
 * Progress of long work.
 *
 * @since 0.1.0
 */
export * as Progress from "./Progress.ts"

/**
 * Rate limits per source and host.
 *
 * @since 0.1.0
 */
export * as RateLimit from "./RateLimit.ts"

/**
 * Keeping secrets out of URLs, errors and excerpts.
 *
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.ts"

/**
 * Retries with backoff, jitter and Retry-After.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.ts"

/**
 * The Source interface.
 *
 * @since 0.1.0
 */
export * as Source from "./Source.ts"

/**
 * The closed set of errors a source can fail with.
 *
 * @since 0.1.0
 */
export * as SourceError from "./SourceError.ts"
