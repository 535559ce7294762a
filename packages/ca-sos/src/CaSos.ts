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
import { Decoding, Feed, Http, Retry, Source, SourceError } from "@electfeed/core"
import { Effect, Result, type Schema, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import * as Config from "./Config.ts"
import * as ContestId from "./ContestId.ts"
import * as Endpoints from "./Endpoints.ts"
import * as Mapping from "./Mapping.ts"
import * as Wire from "./Wire.ts"

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
export const connector = "@electfeed/ca-sos@0.1.0"

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

type Request =
  | {
      readonly stream: "contests"
      readonly url: string
      readonly origin: Mapping.Origin
      /** For a CSV body, the list its rows carry. */
      readonly csv: Wire.ListKey | undefined
      /** A 404 is passed over: the default set names families an election may not have. */
      readonly optional: boolean
    }
  | {
      readonly stream: "county-status"
      readonly url: string
      readonly csv: boolean
      /** The county whose row is kept; all are when absent. */
      readonly county: ContestId.County | undefined
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
    ...endpoints.map((endpoint): Request => {
      const list = Endpoints.listOf(endpoint.target)
      const url = Endpoints.path(endpoint) + (csv ? "?f=csv" : "")
      return list === undefined
        ? { stream: "county-status", url, csv, county }
        : {
            stream: "contests",
            url,
            origin: { _tag: "Endpoint", endpoint },
            csv: csv ? list : undefined,
            optional: !explicit
          }
    }),
    ...Endpoints.queryBatches(ids).map(
      (batch): Request => ({
        stream: "contests",
        url: Endpoints.queryPath(batch.map(ContestId.format)),
        origin: { _tag: "Query", ids: batch },
        csv: undefined,
        optional: false
      })
    )
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

const csvRecords = Effect.fnUntraced(function* <S extends Schema.Decoder<unknown>>(
  client: Http.Client,
  body: Http.Body,
  schema: S
) {
  const context = { client, url: body.url }
  return yield* Decoding.csvRows(Stream.succeed(body.bytes), context).pipe(
    Stream.mapEffect((outcome) =>
      outcome._tag === "Malformed" ? Effect.fail(outcome.error) : Decoding.decodeRow(schema, outcome, context)
    ),
    Stream.runCollect
  )
})

const contestItems = Effect.fnUntraced(function* (
  client: Http.Client,
  request: Extract<Request, { readonly stream: "contests" }>
) {
  const list = request.csv
  const { body, contests } =
    list !== undefined
      ? yield* Effect.gen(function* () {
          const body = yield* client.fetch(HttpClientRequest.get(request.url))
          const rows = yield* csvRecords(client, body, Wire.rowSchemas[list])
          return { body, contests: Wire.groupRows(list, rows) }
        })
      : yield* Effect.map(client.json(HttpClientRequest.get(request.url), Wire.Body), ({ body, value }) => ({
          body,
          contests: Array.isArray(value) ? (value as ReadonlyArray<Wire.Contest>) : [value as Wire.Contest]
        }))
  const places = Mapping.places(request.origin, contests)
  if (Result.isFailure(places)) {
    return yield* client.decodeError({ url: body.url, detail: places.failure, input: body.text })
  }
  const provenance = client.provenance(body)
  const items = contests.flatMap((contest, i) =>
    Mapping.results(contest, places.success[i]!).map(({ key, data }) =>
      Source.event(
        Feed.makeEvent({
          source: id,
          stream: contestsStream.name,
          kind: "ContestResult",
          key,
          observedAt: body.observedAt,
          provenance,
          data
        })
      )
    )
  )
  return { items, body } satisfies Fetched
})

// The status fields are undocumented; each becomes text, as a dataset row keeps every column.
const cell = (value: unknown): string | null =>
  value === null || value === undefined || value === ""
    ? null
    : typeof value === "string"
      ? value
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value)

const statusItems = Effect.fnUntraced(function* (
  client: Http.Client,
  request: Extract<Request, { readonly stream: "county-status" }>
) {
  const { body, rows }: { body: Http.Body; rows: ReadonlyArray<Readonly<Record<string, unknown>>> } = request.csv
    ? yield* Effect.gen(function* () {
        const body = yield* client.fetch(HttpClientRequest.get(request.url))
        return { body, rows: yield* csvRecords(client, body, Wire.StatusRow) }
      })
    : yield* Effect.map(client.json(HttpClientRequest.get(request.url), Wire.Status), ({ body, value }) => ({
        body,
        rows: Object.entries(value).map(([slug, fields]) => ({ [Wire.statusSlugColumn]: slug, ...fields }))
      }))
  const provenance = client.provenance(body)
  const items = rows.flatMap((row, index) => {
    const slug = String(row[Wire.statusSlugColumn])
    return request.county !== undefined && request.county.slug !== slug
      ? []
      : [
          Source.event(
            Feed.makeEvent({
              source: id,
              stream: statusStream.name,
              kind: "DatasetRow",
              key: `status/${slug}`,
              observedAt: body.observedAt,
              provenance,
              data: {
                dataset: "returns/status",
                row: index,
                columns: Object.fromEntries(Object.entries(row).map(([column, value]) => [column, cell(value)]))
              }
            })
          )
        ]
  })
  return { items, body } satisfies Fetched
})

const fetchItems = (client: Http.Client, request: Request): Effect.Effect<Fetched, SourceError.SourceError> =>
  request.stream === "county-status"
    ? statusItems(client, request)
    : contestItems(client, request).pipe(
        Effect.catchTag("NotFound", (error) =>
          request.optional
            ? Effect.as(Effect.logInfo(`passed over, not in this election: ${error.url}`), {
                items: [],
                body: undefined
              })
            : Effect.fail(error)
        )
      )

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
