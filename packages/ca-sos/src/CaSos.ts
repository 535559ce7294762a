/**
 * The California Secretary of State's election-night results API as an electfeed source, declared with
 * core's `Source.define`.
 *
 * A read fetches every endpoint of the config (or {@link Endpoints.defaults}) and every batch of contest
 * ids, decodes the bodies (JSON, or CSV with `format: "csv"`), and emits:
 *
 * - on stream `contests`, one `ContestResult` per office contest, measure and justice, keyed by contest id;
 * - on stream `county-status` (when `/returns/status` is among the endpoints), one `DatasetRow` per county.
 *
 * Core owns the rest: conditional requests and body hashes (a body unchanged since the checkpoint is
 * neither decoded nor emitted), the envelope, keys, checkpoints, retries, the rate limit and the
 * classification of failures (a 404, which the API also answers for what needs authentication, is
 * `NotFound` and never retried).
 *
 * @since 0.1.0
 */
import { Http, Source, SourceError } from "@electfeed/core"
import { Array as Arr, Effect, Result } from "effect"
import type { HttpClientRequest } from "effect/http"
import pkg from "../package.json" with { type: "json" }
import * as Config from "./Config.ts"
import * as ContestId from "./ContestId.ts"
import * as Endpoints from "./Endpoints.ts"
import * as Bodies from "./internal/bodies.ts"

/**
 * The connector id.
 *
 * @since 0.1.0
 * @category metadata
 */
export const id = "ca-sos"

/**
 * `name@version` of this package.
 *
 * @since 0.1.0
 * @category metadata
 */
export const connector: string = Http.connectorOf(pkg)

const configError = (detail: string) => new SourceError.ConfigError({ source: id, detail })

const parsed = <A>(result: Result.Result<A, string>) =>
  Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.fail(configError(result.failure))

/**
 * What a config reads. A failure is a `ConfigError` naming the offending id, path or county.
 */
const plan = Effect.fnUntraced(function* (config: Config.Config) {
  const csv = config.format === "csv"
  const county = config.county === undefined ? undefined : yield* parsed(ContestId.parseCounty(config.county))
  const inCounty = (endpoint: Endpoints.Endpoint) =>
    county === undefined ? Result.succeed(endpoint) : Endpoints.withCounty(endpoint, county)
  const explicit = config.endpoints !== undefined || config.contests !== undefined
  const endpoints = explicit
    ? yield* Effect.forEach(config.endpoints ?? [], (path) => parsed(Result.flatMap(Endpoints.parse(path), inCounty)))
    : Arr.getSuccesses(Endpoints.defaults.map(inCounty))
  const ids = yield* Effect.forEach(config.contests ?? [], (text) => parsed(ContestId.parse(text)))
  if (ids.length > 0 && csv) {
    return yield* configError(
      "the batch query (contests) has no CSV format: read contests with format json, or name their endpoints"
    )
  }
  const contests = [
    ...endpoints.flatMap((endpoint): ReadonlyArray<Bodies.ContestsRequest> => {
      const list = Endpoints.listOf(endpoint.target)
      if (list === undefined) return []
      const request = Bodies.endpointRequest(endpoint, csv)
      return [{ request, origin: { _tag: "Endpoint", endpoint }, csv: csv ? list : undefined, optional: !explicit }]
    }),
    ...Endpoints.queryBatches(ids).map(Bodies.queryRequest)
  ]
  const status = endpoints
    .filter((endpoint) => endpoint.target._tag === "Status")
    .map((endpoint) => Bodies.endpointRequest(endpoint, csv))
  if (contests.length + status.length === 0) {
    return yield* configError("nothing to read: `endpoints` and `contests` are both empty")
  }
  return { contests, status, csv, county }
})

const contestsStream = (requests: ReadonlyArray<Bodies.ContestsRequest>) => {
  const planned = Bodies.plannedBy(requests)
  return Source.snapshot({
    kind: "ContestResult",
    key: "the 14-digit contest id with its county code (a measure's own id carries its number); a justice adds /justice/<name>",
    description:
      "Every contest of the endpoints and contest ids read: offices, measures (one each), justices (one each)",
    requests: () => requests.map((request) => request.request),
    optional: (request) => planned(request)?.optional === true,
    body: (body, context) => Bodies.contestsOf(context.client, planned(context.request), body),
    entities: (answered, context) => Bodies.contestEntities(context.client, answered, context.http)
  })
}

const statusStream = (
  requests: ReadonlyArray<HttpClientRequest.HttpClientRequest>,
  csv: boolean,
  county: ContestId.County | undefined
) =>
  Source.snapshot({
    kind: "DatasetRow",
    key: "status/<county slug>",
    description: "Each county's reporting status as the API gives it, one row per county",
    requests: () => requests,
    body: (body, context) => Bodies.statusRowsOf(context.client, csv, body),
    entities: (rows, context) => Bodies.statusEntities(context.client, county, rows, context.http)
  })

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.define({
  id,
  package: pkg,
  description:
    "California Secretary of State election-night results (api.sos.ca.gov): every office, measure and retention contest",
  config: Config.Config,
  http: (config) => ({
    baseUrl: config.baseUrl ?? Config.defaultBaseUrl,
    rateLimit: config.rateLimit ?? Config.defaultRateLimit,
    retry: config.retry
  }),
  // The streams are those the config's requests go to; a config that cannot be read fails here.
  streams: ({ config }) =>
    Effect.map(plan(config), ({ contests, status, csv, county }) => ({
      ...(contests.length === 0 ? {} : { contests: contestsStream(contests) }),
      ...(status.length === 0 ? {} : { "county-status": statusStream(status, csv, county) })
    }))
})
