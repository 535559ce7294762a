/**
 * Test support for connectors: the simulator server toolkit and the conformance kit.
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
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"
