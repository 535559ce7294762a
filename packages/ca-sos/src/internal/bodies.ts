/**
 * What the connector makes of one body, with no HTTP: the answer to a request, JSON or CSV, decoded into
 * contests or county rows, and those into the entities core makes events of. A body that cannot be read,
 * whatever it holds, is a `DecodeError` naming it; never a defect.
 */
import { Decoding, Feed, type Http, type Source, type SourceError } from "@electfeed/core"
import { Effect, Result, type Schema, Stream } from "effect"
import type * as ContestId from "../ContestId.ts"
import * as Mapping from "../Mapping.ts"
import * as Wire from "../Wire.ts"
import type { ContestsRequest } from "./plan.ts"

const json = <S extends Schema.Top>(client: Http.Client, body: Http.Body, schema: S) =>
  Decoding.decodeJsonText(schema, body.text, (detail, offset, path) =>
    client.decodeError({ url: body.url, detail, input: body.text, offset, path })
  )

const csvRecords = <S extends Schema.Decoder<unknown>>(client: Http.Client, body: Http.Body, schema: S) => {
  const context = { client, url: body.url }
  return Decoding.csvRows(Stream.succeed(body.bytes), context).pipe(
    Stream.mapEffect((outcome) =>
      outcome._tag === "Malformed" ? Effect.fail(outcome.error) : Decoding.decodeRow(schema, outcome, context)
    ),
    Stream.runCollect
  )
}

/**
 * The results of an answer to a request for contests, each placed by the request that asked for it; a
 * body that answers no such request, or does not fit it, fails.
 */
export const contestResults = Effect.fnUntraced(function* (
  client: Http.Client,
  request: ContestsRequest | undefined,
  csv: boolean,
  body: Http.Body
): Effect.fn.Return<ReadonlyArray<Mapping.Keyed>, SourceError.DecodeError> {
  const fail = (detail: string) => client.decodeError({ url: body.url, detail, input: body.text })
  if (request === undefined) return yield* fail("the body answers no request of the read's plan")
  const { origin } = request
  const list = csv && origin._tag === "Endpoint" ? origin.endpoint.list : undefined
  // The batch query has no CSV, and `/returns/status` is not planned for contests.
  const contests =
    list === undefined || list === "status"
      ? [yield* json(client, body, Wire.Body)].flat()
      : Wire.groupRows(list, yield* csvRecords(client, body, Wire.rowSchemas[list]))
  const places = Mapping.places(request.origin, contests)
  if (Result.isFailure(places)) return yield* fail(places.failure)
  return contests.flatMap((contest, i) => Mapping.results(contest, places.success[i]!))
})

/** One `DatasetRow` per county of an answer to `/returns/status`, or `county`'s alone. */
export const statusEntities = Effect.fnUntraced(function* (
  client: Http.Client,
  csv: boolean,
  county: ContestId.County | undefined,
  body: Http.Body
): Effect.fn.Return<ReadonlyArray<Source.Entity<"DatasetRow">>, SourceError.DecodeError> {
  const rows = csv
    ? (yield* csvRecords(client, body, Wire.StatusRow)).map((row) => [row[Wire.statusSlugColumn]!, row] as const)
    : Object.entries(yield* json(client, body, Wire.Status)).map(
        ([slug, fields]) => [slug, { [Wire.statusSlugColumn]: slug, ...fields }] as const
      )
  const entities: Array<Source.Entity<"DatasetRow">> = []
  for (const [row, [slug, columns]] of rows.entries()) {
    if (county !== undefined && county.slug !== slug) continue
    // Core checks every key part too; here the error can name the row and column.
    const part = Feed.keyPart(slug)
    if (Result.isFailure(part)) {
      const detail = `the county slug cannot be part of a key: ${part.failure}`
      const input = JSON.stringify(slug)
      return yield* client.decodeError({ url: body.url, row, column: Wire.statusSlugColumn, detail, input })
    }
    entities.push({ key: ["status", slug], data: { dataset: "returns/status", row, columns } })
  }
  return entities
})
