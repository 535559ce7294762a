/**
 * The Example State API on 127.0.0.1, on core's simulator server (so faults can be injected).
 *
 * @since 0.1.0
 */
import { Simulator } from "@electfeed/core/simulator"
import type { Effect, Scope } from "effect"
import type { Results } from "../Wire.ts"
import * as Data from "./Data.ts"

/**
 * The key the simulator accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultApiKey = "example-state-simulator-key"

/**
 * Serves `results` until the scope closes; a wrong key is refused with 401, any other path is 404.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options?: {
  readonly apiKey?: string
  readonly results?: Results
}): Effect.Effect<Simulator.Simulator, never, Scope.Scope> =>
  Simulator.serve((request) => {
    if (request.headers["x-api-key"] !== (options?.apiKey ?? defaultApiKey)) {
      return { status: 401, headers: { "content-type": "application/json" }, body: '{"error":"invalid key"}' }
    }
    if (request.method === "GET" && request.path === "/v1/results") {
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(options?.results ?? Data.results)
      }
    }
    return { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" }
  })
