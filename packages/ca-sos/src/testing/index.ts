/**
 * Test support for @electfeed/ca-sos: the API simulator and its built-in election.
 *
 * @since 0.1.0
 */

/**
 * The simulator's data sets: the built-in election, and the interface a folder of bodies also fills.
 *
 * @since 0.1.0
 */
export * as Data from "./Data.ts"

/**
 * The built-in, invented election.
 *
 * @since 0.1.0
 */
export * as Election from "./Election.ts"

/**
 * A folder of real bodies as simulator data.
 *
 * @since 0.1.0
 */
export * as Folder from "./Folder.ts"

/**
 * Bodies in the API's JSON and CSV shapes.
 *
 * @since 0.1.0
 */
export * as Render from "./Render.ts"
/**
 * A running simulator, and how to start one.
 *
 * @since 0.1.0
 * @category models
 */
export type { CaSosSimulator, Options } from "./Simulator.ts"
/**
 * The simulator server.
 *
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"

/**
 * Starts the simulator.
 *
 * @since 0.1.0
 * @category constructors
 */
export { serve } from "./Simulator.ts"
/**
 * Election night's updates.
 *
 * @since 0.1.0
 */
export * as Timeline from "./Timeline.ts"
