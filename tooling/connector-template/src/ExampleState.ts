/**
 * The Example State results API as an electfeed source.
 *
 * @since 0.1.0
 */
import { Feed, Http, Retry, Source } from "@electfeed/core"
import { Effect, Stream } from "effect"
import * as Config from "./Config.ts"
import * as Endpoints from "./Endpoints.ts"
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
export const connector = "@electfeed/example-state@0.1.0"

const stream = "contests"

const catalog: Source.Catalog = [
  {
    name: stream,
    kind: "ContestResult",
    key: "the API's contest id",
    mode: "snapshot",
    description: "Every contest of the election, polled"
  }
]

const client = (config: Config.Config) =>
  Http.makeClient({
    source: id,
    connector,
    baseUrl: config.baseUrl ?? Config.defaultBaseUrl,
    headers: { "x-api-key": config.apiKey },
    rateLimit: config.rateLimit ?? Config.defaultRateLimit,
    retry: Retry.policy(config.retry)
  })

/**
 * The source: one snapshot stream of contests.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.make({
  id,
  connector,
  description: "Example State election-night results",
  configSchema: Config.Config,
  catalog: () => Effect.succeed(catalog),
  check: (config) => Effect.flatMap(client(config), (http) => http.fetch(Endpoints.results)).pipe(Effect.asVoid),
  read: (config, options) =>
    Stream.unwrap(
      Effect.gen(function* () {
        yield* Source.selectStreams(id, catalog, options)
        const http = yield* client(config)
        const { body, value } = yield* http.json(Endpoints.results, Wire.Results)
        const provenance = http.provenance(body)
        return Stream.fromIterable([
          ...value.contests.map((contest) =>
            Source.event(
              Feed.makeEvent({
                source: id,
                stream,
                kind: "ContestResult",
                key: contest.id,
                observedAt: body.observedAt,
                provenance,
                data: Mapping.contestResult(contest, value.updated)
              })
            )
          ),
          Source.checkpoint(stream, { sha256: body.sha256 })
        ])
      })
    )
})
