/**
 * The Example State API as an electfeed source.
 *
 * @since 0.1.0
 */
import { Http, Source } from "@electfeed/core"
import pkg from "../package.json" with { type: "json" }
import * as Config from "./Config.ts"
import * as Mapping from "./Mapping.ts"
import * as Wire from "./Wire.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const id = "example-state"

/**
 * @since 0.1.0
 * @category constants
 */
export const connector: string = Http.connectorOf(pkg)

/**
 * The source: one snapshot stream of contests.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.define({
  id,
  package: pkg,
  description: "Example State",
  config: Config.Config,
  // api-key: secrets: { apiKey: "EXAMPLE_STATE_API_KEY" },
  http: (config) => ({
    baseUrl: config.baseUrl,
    // api-key: headers: { "x-api-key": config.apiKey },
    rateLimit: config.rateLimit ?? Config.defaultRateLimit,
    retry: config.retry
  }),
  streams: {
    contests: Source.snapshot({
      kind: "ContestResult",
      key: "the API's contest id",
      description: "Every contest of the election, polled",
      request: Wire.results,
      body: Wire.Results,
      entities: Mapping.contests
    })
  }
})
