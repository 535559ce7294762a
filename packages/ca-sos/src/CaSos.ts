/**
 * The California Secretary of State's election-night results API as an electfeed source.
 *
 * A read fetches every endpoint of the config (or {@link Endpoints.defaults}) and every batch of
 * contest ids, decodes the bodies (JSON, or CSV with `format: "csv"`), and emits:
 *
 * - on stream `contests`, one `ContestResult` per office contest, measure and justice, keyed by contest id;
 * - on stream `county-status` (when `/returns/status` is among the endpoints), one `DatasetRow` per county.
 *
 * Each stream ends with a checkpoint holding the SHA-256 of every body read. Retries, the rate limit and
 * the classification of failures (a 404, which the API also answers for what needs authentication, is
 * `NotFound` and never retried) are core's.
 *
 * @since 0.1.0
 */
import { Http, Retry, Source, SourceError } from "@electfeed/core"
import { Effect, Result, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import pkg from "../package.json" with { type: "json" }
import * as Config from "./Config.ts"
import * as ContestId from "./ContestId.ts"
import * as Endpoints from "./Endpoints.ts"
import { contestItems, endpointRequest, queryRequest, type Request, statusItems } from "./internal/bodies.ts"

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

/**
 * The stream of contest results.
 *
 * @since 0.1.0
 * @category catalog
 */
export const contestsStream: Source.StreamSpec = {
  name: "contests",
  kind: "ContestResult",
  key: "the 14-digit contest id with its county code (a measure's own id carries its number); a justice adds /justice/<name>",
  mode: "snapshot",
  description: "Every contest of the endpoints and contest ids read: offices, measures (one each), justices (one each)"
}

/**
 * The stream of each county's reporting status, from `/returns/status`.
 *
 * @since 0.1.0
 * @category catalog
 */
export const statusStream: Source.StreamSpec = {
  name: "county-status",
  kind: "DatasetRow",
  key: "status/<county slug>",
  mode: "snapshot",
  description: "Each county's reporting status as the API gives it, one row per county"
}

interface Plan {
  readonly requests: ReadonlyArray<Request>
  readonly client: Http.ClientOptions
}

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
    : Endpoints.defaults
        .map(inCounty)
        .filter(Result.isSuccess)
        .map((result) => result.success)
  const ids = yield* Effect.forEach(config.contests ?? [], (text) => parsed(ContestId.parse(text)))
  if (ids.length > 0 && csv) {
    return yield* configError(
      "the batch query (contests) has no CSV format: read contests with format json, or name their endpoints"
    )
  }
  const requests: Array<Request> = [
    ...endpoints.map((endpoint) => endpointRequest(endpoint, { csv, optional: !explicit, county })),
    ...Endpoints.queryBatches(ids).map(queryRequest)
  ]
  if (requests.length === 0) return yield* configError("nothing to read: `endpoints` and `contests` are both empty")
  return {
    requests,
    client: {
      source: id,
      connector,
      baseUrl: config.baseUrl ?? Config.defaultBaseUrl,
      rateLimit: config.rateLimit ?? Config.defaultRateLimit,
      retry: Retry.policy(config.retry)
    }
  } satisfies Plan
})

const catalogOf = (planned: Plan): Source.Catalog =>
  [contestsStream, statusStream].filter((spec) => planned.requests.some((request) => request.stream === spec.name))

interface Fetched {
  readonly items: ReadonlyArray<Source.ReadItem>
  /** The body read, for the checkpoint; absent when a 404 was passed over. */
  readonly body: { readonly url: string; readonly sha256: string } | undefined
}

const fetchItems = (client: Http.Client, request: Request): Effect.Effect<Fetched, SourceError.SourceError> => {
  const fetched = Effect.flatMap(client.fetch(HttpClientRequest.get(request.url)), (body) =>
    Effect.map(
      request.stream === "contests" ? contestItems(client, request, body) : statusItems(client, request, body),
      (items): Fetched => ({ items, body })
    )
  )
  return request.stream === "contests" && request.optional
    ? Effect.catchTag(fetched, "NotFound", (error) =>
        Effect.as(Effect.logInfo(`passed over, not in this election: ${error.url}`), { items: [], body: undefined })
      )
    : fetched
}

const readStream = (client: Http.Client, planned: Plan, spec: Source.StreamSpec) =>
  Stream.fromIterable(planned.requests.filter((request) => request.stream === spec.name)).pipe(
    // One request at a time: the rate limit leaves no room for more, and the API sees a polite client.
    Stream.mapEffect((request) => fetchItems(client, request)),
    // A contest can come twice (a county breakdown's wider result, also asked for directly); the first is kept.
    Stream.mapAccum(
      () => ({ keys: new Set<string>(), bodies: [] as Array<{ readonly url: string; readonly sha256: string }> }),
      (state, fetched: Fetched) => {
        if (fetched.body !== undefined) state.bodies.push({ url: fetched.body.url, sha256: fetched.body.sha256 })
        const fresh = fetched.items.filter((item) => item._tag !== "Event" || !state.keys.has(item.event.key))
        for (const item of fresh) if (item._tag === "Event") state.keys.add(item.event.key)
        return [state, fresh] as const
      },
      { onHalt: (state) => [Source.checkpoint(spec.name, { bodies: state.bodies })] }
    )
  )

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.make({
  id,
  connector,
  description:
    "California Secretary of State election-night results (api.sos.ca.gov): every office, measure and retention contest",
  configSchema: Config.Config,
  catalog: (config) => Effect.map(plan(config), catalogOf),
  check: Effect.fnUntraced(function* (config) {
    const planned = yield* plan(config)
    const client = yield* Http.makeClient(planned.client)
    // The default set may name contests this election lacks; the status endpoint is always there.
    const first = planned.requests.find((request) => request.stream !== "contests" || !request.optional)
    yield* client.fetch(HttpClientRequest.get(first?.url ?? "/returns/status"))
  }),
  read: (config, options) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const planned = yield* plan(config)
        const streams = yield* Source.selectStreams(id, catalogOf(planned), options)
        const client = yield* Http.makeClient(planned.client)
        return Stream.fromIterable(streams).pipe(Stream.flatMap((spec) => readStream(client, planned, spec)))
      })
    )
})
