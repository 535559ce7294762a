/**
 * @electfeed/example-state: the Example State API as an electfeed source.
 *
 * @since 0.1.0
 */

/**
 * The config schema and its defaults.
 *
 * @since 0.1.0
 */
export * as Config from "./Config.ts"
/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export { source } from "./ExampleState.ts"

/**
 * The API's contests as `ContestResult`s.
 *
 * @since 0.1.0
 */
export * as Mapping from "./Mapping.ts"

/**
 * The bodies the API sends.
 *
 * @since 0.1.0
 */
export * as Wire from "./Wire.ts"
