/**
 * The Example State API on 127.0.0.1, on core's simulator server (so faults can be injected).
 *
 * @since 0.1.0
 */
import { Simulator } from "@electfeed/core/simulator"
import type { Effect, Scope } from "effect"
import * as Wire from "../Wire.ts"
import * as Data from "./Data.ts"

// api-key: /**
// api-key:  * The key the simulator accepts unless told otherwise.
// api-key:  *
// api-key:  * @since 0.1.0
// api-key:  * @category defaults
// api-key:  */
// api-key: export const defaultApiKey = "example-state-simulator-key"
// api-key:
/**
 * Serves `results` until the scope closes; any other path is 404.
 * // api-key: A wrong key is refused with 401.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options?: {
  // api-key: readonly apiKey?: string
  readonly results?: Wire.Results
  /** Default: any free port. */
  readonly port?: number
}): Effect.Effect<Simulator.Simulator, never, Scope.Scope> =>
  Simulator.serve(
    (request) => {
      // api-key: if (request.headers["x-api-key"] !== (options?.apiKey ?? defaultApiKey)) {
      // api-key:   return { status: 401, headers: { "content-type": "application/json" }, body: '{"error":"invalid key"}' }
      // api-key: }
      if (request.method === Wire.results.method && request.path === Wire.results.url) {
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(options?.results ?? Data.results)
        }
      }
      return { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" }
    },
    options?.port === undefined ? undefined : { port: options.port }
  )
