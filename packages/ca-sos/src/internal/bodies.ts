/**
 * What the connector makes of one body, with no HTTP: the answer to a request, JSON or CSV, decoded into
 * contests or county rows, and those into the entities core makes events of. A body that cannot be read,
 * whatever it holds, is a `DecodeError` naming it; never a defect.
 */
import { Decoding, Feed, type Http, type Source, type SourceError } from "@electfeed/core"
import { Effect, Result, type Schema, Stream } from "effect"
import { HttpClientRequest, UrlParams } from "effect/http"
import * as ContestId from "../ContestId.ts"
import * as Endpoints from "../Endpoints.ts"
import * as Mapping from "../Mapping.ts"
import * as Wire from "../Wire.ts"

/** A request for contests: an endpoint or a batch query. */
export interface ContestsRequest {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly origin: Mapping.Origin
  /** For a CSV body, the list its rows carry. */
  readonly csv: Wire.ListKey | undefined
  /** A 404 is passed over: the default set names families an election may not have. */
  readonly optional: boolean
}

/** The request for an endpoint, in JSON or CSV. */
export const endpointRequest = (endpoint: Endpoints.Endpoint, csv: boolean) =>
  HttpClientRequest.get(Endpoints.path(endpoint) + (csv ? "?f=csv" : ""))

/** The batch query for `ids`, at most {@link Endpoints.maxQueryIds} of them. */
export const queryRequest = (ids: ReadonlyArray<ContestId.ContestId>): ContestsRequest => ({
  request: HttpClientRequest.get(Endpoints.queryPath(ids.map(ContestId.format))),
  origin: { _tag: "Query", ids },
  csv: undefined,
  optional: false
})

/** What decoding needs of the client: its errors. */
export type Decoder = Pick<Http.Client, "decodeError">

const json = <S extends Schema.Top>(client: Decoder, body: Http.Body, schema: S) =>
  Decoding.decodeJsonText(schema, body.text, (detail, offset, path) =>
    client.decodeError({ url: body.url, detail, input: body.text, offset, path })
  )

const csvRecords = <S extends Schema.Decoder<unknown>>(client: Decoder, body: Http.Body, schema: S) => {
  const context = { client, url: body.url }
  return Decoding.csvRows(Stream.succeed(body.bytes), context).pipe(
    Stream.mapEffect((outcome) =>
      outcome._tag === "Malformed" ? Effect.fail(outcome.error) : Decoding.decodeRow(schema, outcome, context)
    ),
    Stream.runCollect
  )
}

/** The contests of a body, with the request for contests they answer. */
export interface Answered {
  readonly request: ContestsRequest
  readonly contests: ReadonlyArray<Wire.Contest>
}

/**
 * The request for contests a request core hands back is, found by method and URL (core may hand back an
 * equal request, not the same object). A request no plan holds finds none.
 */
export const plannedBy = (requests: ReadonlyArray<ContestsRequest>) => {
  const identity = (request: HttpClientRequest.HttpClientRequest) =>
    `${request.method} ${request.url}?${UrlParams.toString(request.urlParams)}`
  const planned = new Map(requests.map((details) => [identity(details.request), details]))
  return (request: HttpClientRequest.HttpClientRequest): ContestsRequest | undefined => planned.get(identity(request))
}

/** The contests of an answer to a request for contests; a body that answers no such request fails. */
export const contestsOf = (
  client: Decoder,
  request: ContestsRequest | undefined,
  body: Http.Body
): Effect.Effect<Answered, SourceError.DecodeError> => {
  if (request === undefined) {
    return Effect.fail(
      client.decodeError({ url: body.url, detail: "the body answers no request of the read's plan", input: "" })
    )
  }
  const list = request.csv
  const contests =
    list !== undefined
      ? Effect.map(csvRecords(client, body, Wire.rowSchemas[list]), (rows) => Wire.groupRows(list, rows))
      : Effect.map(json(client, body, Wire.Body), (value) =>
          Array.isArray(value) ? (value as ReadonlyArray<Wire.Contest>) : [value as Wire.Contest]
        )
  return Effect.map(contests, (contests) => ({ request, contests }))
}

/** The results of those contests, each placed by the request that asked for it. */
export const contestEntities = (
  client: Decoder,
  { request, contests }: Answered,
  body: Http.Body
): Effect.Effect<ReadonlyArray<Mapping.Keyed>, SourceError.DecodeError> => {
  const places = Mapping.places(request.origin, contests)
  return Result.isFailure(places)
    ? Effect.fail(client.decodeError({ url: body.url, detail: places.failure, input: body.text }))
    : Effect.succeed(contests.flatMap((contest, i) => Mapping.results(contest, places.success[i]!)))
}

/** The rows of `/returns/status`: each county's slug and its columns, in body order. */
export type StatusRows = ReadonlyArray<readonly [slug: string, columns: Readonly<Record<string, unknown>>]>

/** The rows of an answer to `/returns/status`. */
export const statusRowsOf = (
  client: Decoder,
  csv: boolean,
  body: Http.Body
): Effect.Effect<StatusRows, SourceError.DecodeError> =>
  csv
    ? Effect.map(csvRecords(client, body, Wire.StatusRow), (rows) =>
        rows.map((row) => [row[Wire.statusSlugColumn]!, row])
      )
    : Effect.map(json(client, body, Wire.Status), (status) =>
        Object.entries(status).map(([slug, fields]) => [slug, { [Wire.statusSlugColumn]: slug, ...fields }] as const)
      )

// The status fields are undocumented; each becomes text, as a dataset row keeps every column. An array or
// object is written as JSON: `Wire.Status` bounds how deep it may nest.
const cell = (value: unknown): string | null => {
  if (value === null || value === undefined || value === "") return null
  return typeof value === "object" ? JSON.stringify(value) : String(value)
}

/** One row per county, or `county`'s alone. */
export const statusEntities = Effect.fnUntraced(function* (
  client: Decoder,
  county: ContestId.County | undefined,
  rows: StatusRows,
  body: Http.Body
): Effect.fn.Return<ReadonlyArray<Source.Entity<"DatasetRow">>, SourceError.DecodeError> {
  const entities: Array<Source.Entity<"DatasetRow">> = []
  for (const [index, [slug, columns]] of rows.entries()) {
    if (county !== undefined && county.slug !== slug) continue
    // Core checks every key part too; here the error can name the row and column.
    const part = Feed.keyPart(slug)
    if (Result.isFailure(part)) {
      return yield* client.decodeError({
        url: body.url,
        row: index,
        column: Wire.statusSlugColumn,
        detail: `the county slug cannot be part of a key: ${part.failure}`,
        input: JSON.stringify(slug)
      })
    }
    entities.push({
      key: ["status", slug],
      data: {
        dataset: "returns/status",
        row: index,
        columns: Object.fromEntries(Object.entries(columns).map(([column, value]) => [column, cell(value)]))
      }
    })
  }
  return entities
})
