/**
 * Test support for connectors: the simulator server toolkit, timelines and the conformance kit.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Conformance from "./Conformance.ts"

/**
 * @since 0.1.0
 */
export * as Fuzz from "./Fuzz.ts"

/**
 * @since 0.2.0
 */
export * as FuzzSuite from "./FuzzSuite.ts"

/**
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"

/**
 * A simulator's versions over time.
 *
 * @since 0.2.0
 */
export * as Timeline from "./Timeline.ts"
