/**
 * @electfeed/clarity: Clarity (Scytl) election-night results sites as an electfeed source.
 *
 * @since 0.1.0
 */

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export { source } from "./Clarity.ts"
/**
 * The config schema and its defaults.
 *
 * @since 0.1.0
 */
export * as Config from "./Config.ts"

/**
 * Clarity's words as the feed's: candidate texts, timestamps, contest titles.
 *
 * @since 0.1.0
 */
export * as Mapping from "./Mapping.ts"

/**
 * A site's files and their paths.
 *
 * @since 0.1.0
 */
export * as Wire from "./Wire.ts"
