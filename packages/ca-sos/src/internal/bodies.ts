/**
 * What the connector makes of one body, with no HTTP: a request's answer, JSON or CSV, decoded into feed
 * events. A body that cannot be read, whatever it holds, is a `DecodeError` naming it; never a defect.
 */
import { Decoding, Feed, Http, Source, type SourceError } from "@electfeed/core"
import { Effect, Result, type Schema, Stream } from "effect"
import * as ContestId from "../ContestId.ts"
import * as Endpoints from "../Endpoints.ts"
import * as Mapping from "../Mapping.ts"
import * as Wire from "../Wire.ts"

/** A request for contests: an endpoint or a batch query. */
export interface ContestsRequest {
  readonly stream: "contests"
  readonly url: string
  readonly origin: Mapping.Origin
  /** For a CSV body, the list its rows carry. */
  readonly csv: Wire.ListKey | undefined
  /** A 404 is passed over: the default set names families an election may not have. */
  readonly optional: boolean
}

/** A request for `/returns/status`. */
export interface StatusRequest {
  readonly stream: "county-status"
  readonly url: string
  readonly csv: boolean
  /** The county whose row is kept; all are when absent. */
  readonly county: ContestId.County | undefined
}

/** One request of a read; `stream` is the name of the stream its events go to. */
export type Request = ContestsRequest | StatusRequest

/** The request for an endpoint, in JSON or CSV. */
export const endpointRequest = (
  endpoint: Endpoints.Endpoint,
  options: { readonly csv: boolean; readonly optional: boolean; readonly county: ContestId.County | undefined }
): Request => {
  const list = Endpoints.listOf(endpoint.target)
  const url = Endpoints.path(endpoint) + (options.csv ? "?f=csv" : "")
  return list === undefined
    ? { stream: "county-status", url, csv: options.csv, county: options.county }
    : {
        stream: "contests",
        url,
        origin: { _tag: "Endpoint", endpoint },
        csv: options.csv ? list : undefined,
        optional: options.optional
      }
}

/** The batch query for `ids`, at most {@link Endpoints.maxQueryIds} of them. */
export const queryRequest = (ids: ReadonlyArray<ContestId.ContestId>): ContestsRequest => ({
  stream: "contests",
  url: Endpoints.queryPath(ids.map(ContestId.format)),
  origin: { _tag: "Query", ids },
  csv: undefined,
  optional: false
})

/** What decoding needs of the client: the source's id, its errors and its provenance. */
export type Decoder = Pick<Http.Client, "source" | "decodeError" | "provenance">

const json = <S extends Schema.Top>(client: Decoder, body: Http.Body, schema: S) =>
  Http.decodeJsonText(schema, body.text, (detail, offset, path) =>
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

// What every event of a body shares.
const envelope = (client: Decoder, body: Http.Body) => ({
  source: client.source,
  observedAt: body.observedAt,
  provenance: client.provenance(body)
})

/** The events of an answer to a request for contests. */
export const contestItems = Effect.fnUntraced(function* (
  client: Decoder,
  request: ContestsRequest,
  body: Http.Body
): Effect.fn.Return<ReadonlyArray<Source.ReadItem>, SourceError.DecodeError> {
  const list = request.csv
  const contests =
    list !== undefined
      ? Wire.groupRows(list, yield* csvRecords(client, body, Wire.rowSchemas[list]))
      : yield* Effect.map(json(client, body, Wire.Body), (value) =>
          Array.isArray(value) ? (value as ReadonlyArray<Wire.Contest>) : [value as Wire.Contest]
        )
  const places = Mapping.places(request.origin, contests)
  if (Result.isFailure(places)) {
    return yield* client.decodeError({ url: body.url, detail: places.failure, input: body.text })
  }
  const shared = envelope(client, body)
  return contests.flatMap((contest, i) =>
    Mapping.results(contest, places.success[i]!).map(({ key, data }) =>
      Source.event(Feed.makeEvent({ ...shared, stream: request.stream, kind: "ContestResult", key, data }))
    )
  )
})

// The status fields are undocumented; each becomes text, as a dataset row keeps every column. An array or
// object is written as JSON: `Wire.Status` bounds how deep it may nest.
const cell = (value: unknown): string | null =>
  value === null || value === undefined || value === ""
    ? null
    : typeof value === "string"
      ? value
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value)

/** The events of an answer to `/returns/status`: one row per county, or the config's county alone. */
export const statusItems = Effect.fnUntraced(function* (
  client: Decoder,
  request: StatusRequest,
  body: Http.Body
): Effect.fn.Return<ReadonlyArray<Source.ReadItem>, SourceError.DecodeError> {
  const rows: ReadonlyArray<readonly [slug: string, columns: Readonly<Record<string, unknown>>]> = request.csv
    ? (yield* csvRecords(client, body, Wire.StatusRow)).map((row) => [row[Wire.statusSlugColumn]!, row])
    : Object.entries(yield* json(client, body, Wire.Status)).map(([slug, fields]) => [
        slug,
        { [Wire.statusSlugColumn]: slug, ...fields }
      ])
  const shared = envelope(client, body)
  const items: Array<Source.ReadItem> = []
  for (const [index, [slug, columns]] of rows.entries()) {
    if (request.county !== undefined && request.county.slug !== slug) continue
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
    items.push(
      Source.event(
        Feed.makeEvent({
          ...shared,
          stream: request.stream,
          kind: "DatasetRow",
          key: `status/${part.success}`,
          data: {
            dataset: "returns/status",
            row: index,
            columns: Object.fromEntries(Object.entries(columns).map(([column, value]) => [column, cell(value)]))
          }
        })
      )
    )
  }
  return items
})
