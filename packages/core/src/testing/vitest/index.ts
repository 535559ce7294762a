/**
 * The conformance kit and the fuzz tests as vitest tests, for a connector's test files. It needs
 * `vitest` and `@effect/vitest`; `@electfeed/core/testing` holds the same kit for any runner, or none.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 */
export * as Conformance from "./Conformance.ts"

/**
 * @since 0.2.0
 */
export * as FuzzSuite from "./FuzzSuite.ts"
