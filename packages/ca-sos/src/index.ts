/**
 * @electfeed/ca-sos: the California Secretary of State's election-night results API as an electfeed
 * source.
 *
 * @since 0.1.0
 */

/**
 * The source, declared with core's `Source.define`, and its id.
 *
 * @since 0.1.0
 */
export * as CaSos from "./CaSos.ts"
/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export { source } from "./CaSos.ts"
/**
 * The configuration schema and its defaults.
 *
 * @since 0.1.0
 */
export * as Config from "./Config.ts"
/**
 * The configuration schema.
 *
 * @since 0.1.0
 * @category config
 */
export { Config as configSchema } from "./Config.ts"
/**
 * The 14-digit contest ids, the county table and the party table.
 *
 * @since 0.1.0
 */
export * as ContestId from "./ContestId.ts"
/**
 * The API's endpoints and the batch query.
 *
 * @since 0.1.0
 */
export * as Endpoints from "./Endpoints.ts"
/**
 * Decoded contests to the feed model.
 *
 * @since 0.1.0
 */
export * as Mapping from "./Mapping.ts"
/**
 * The API's text formats of numbers, percents and times.
 *
 * @since 0.1.0
 */
export * as Quirks from "./Quirks.ts"
/**
 * The bodies the API sends, JSON and CSV.
 *
 * @since 0.1.0
 */
export * as Wire from "./Wire.ts"
