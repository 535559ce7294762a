/**
 * Ballotpedia's bulk-data API: `getQueryList` lists the datasets, `getQueryResults` hands out a
 * presigned link to a dataset's file. Both answer in the `{ success, data, message }` envelope, where
 * `success: false` is a failure even on HTTP 200.
 *
 * @since 0.1.0
 */
import { Decoding, type Http, Redaction, SourceError } from "@electfeed/core"
import { Effect, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import type { Format } from "./Config.ts"

/**
 * The source's id.
 *
 * @since 0.1.0
 * @category identity
 */
export const sourceId = "ballotpedia"

/**
 * A dataset as `getQueryList` lists it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Dataset = Schema.Struct({
  id: Schema.String.check(Schema.isNonEmpty()),
  title: Schema.String,
  description: Schema.optionalKey(Schema.NullOr(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Dataset = typeof Dataset.Type

const Envelope = Schema.Struct({
  success: Schema.Boolean,
  message: Schema.optionalKey(Schema.NullOr(Schema.String))
})

const Link = Schema.Struct({ url: Schema.String.check(Schema.isNonEmpty()) })

const call = <S extends Schema.Decoder<unknown>>(
  client: Http.Client,
  request: HttpClientRequest.HttpClientRequest,
  data: S
): Effect.Effect<S["Type"], SourceError.SourceError, S["DecodingServices"]> =>
  Effect.gen(function* () {
    const body = yield* client.fetch(request)
    const decode = <T extends Schema.Decoder<unknown>>(schema: T) =>
      Decoding.decodeJsonText(schema, body.text, (detail, offset, path) =>
        client.decodeError({ url: body.url, detail, input: body.text, offset, path })
      )
    const envelope = yield* decode(Envelope)
    if (!envelope.success) {
      return yield* new SourceError.UpstreamFailure({
        source: sourceId,
        url: body.url,
        upstreamMessage: Redaction.scrub(envelope.message ?? "(no message)", client.secrets)
      })
    }
    return ((yield* decode(Schema.Struct({ data }))) as { readonly data: S["Type"] }).data
  })

/**
 * `getQueryList`: every dataset.
 *
 * @since 0.1.0
 * @category requests
 */
export const datasets = (client: Http.Client) =>
  call(client, HttpClientRequest.get("/getQueryList"), Schema.Array(Dataset))

/**
 * `getQueryResults`: a fresh presigned link to a dataset's file.
 *
 * @since 0.1.0
 * @category requests
 */
export const link = (client: Http.Client, dataset: string, format: Format) =>
  call(
    client,
    HttpClientRequest.post("/getQueryResults").pipe(HttpClientRequest.bodyJsonUnsafe({ id: dataset, format })),
    Link
  ).pipe(Effect.map((link) => link.url))
