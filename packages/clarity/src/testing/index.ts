/**
 * Test support: a Clarity site simulator, its built-in election and night, and the renderers and zips it
 * serves them with.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Election from "./Election.ts"

/**
 * @since 0.1.0
 */
export * as Render from "./Render.ts"

/**
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"
/**
 * Starts the simulator (scoped).
 *
 * @since 0.1.0
 * @category constructors
 */
export { serve } from "./Simulator.ts"
/**
 * @since 0.1.0
 */
export * as Zip from "./Zip.ts"
