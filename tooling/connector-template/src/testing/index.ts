/**
 * Test support: the API simulator and its built-in data.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Data from "./Data.ts"

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
