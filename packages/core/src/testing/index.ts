/**
 * Test support for connectors, for any test runner or none: the simulator server toolkit, timelines, the
 * conformance kit's cases and the fuzzer. `@electfeed/core/testing/vitest` declares the kit's cases and
 * the fuzz targets as vitest tests.
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

/**
 * A simulator's versions over time.
 *
 * @since 0.2.0
 */
export * as Timeline from "./Timeline.ts"
