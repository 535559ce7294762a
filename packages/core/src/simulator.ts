/**
 * The simulator server alone, for connectors' simulators and apps that run them (a demo), without the
 * conformance kit and its test-runner dependencies.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Simulator from "./testing/Simulator.ts"

/**
 * @since 0.2.0
 */
export * as Timeline from "./testing/Timeline.ts"
