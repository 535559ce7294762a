/**
 * Ballotpedia's bulk-data API: `getQueryList` lists the datasets, `getQueryResults` hands out a
 * presigned link to a dataset's file. Both answer in the `{ success, data, message }` envelope, where
 * `success: false` is a failure even on HTTP 200.
 *
 * @since 0.1.0
 */
import { Http, Redaction, SourceError } from "@electfeed/core"
import { Effect, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import pkg from "../package.json" with { type: "json" }
import type { Format, Settings } from "./Config.ts"

/**
 * The source's id.
 *
 * @since 0.1.0
 * @category identity
 */
export const sourceId = "ballotpedia"

/**
 * `name@version` of this package, for provenance and the user agent.
 *
 * @since 0.1.0
 * @category identity
 */
export const connector: string = Http.connectorOf(pkg)

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

/**
 * The API as the source uses it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Api {
  /** `getQueryList`. */
  readonly datasets: Effect.Effect<ReadonlyArray<Dataset>, SourceError.SourceError>
  /** `getQueryResults`: a fresh presigned link to the dataset's file. */
  readonly link: (dataset: string, format: Format) => Effect.Effect<string, SourceError.SourceError>
  /** The client for the file host, which is sent no API key. */
  readonly files: Http.Client
}

/**
 * The API for `settings`: one client for the API, with the key, and one for the file host, without it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (
  settings: Settings
): Effect.fn.Return<Api, SourceError.ConfigError, Http.Services> {
  const common = {
    source: sourceId,
    connector,
    baseUrl: settings.baseUrl,
    rateLimit: settings.rateLimit,
    retry: settings.retry
  }
  const api = yield* Http.makeClient({ ...common, headers: { "x-api-key": settings.apiKey } })
  // Presigned links live on another host (S3): the key has no business there.
  const files = yield* Http.makeClient(common)

  const call = <S extends Schema.Decoder<unknown>>(request: HttpClientRequest.HttpClientRequest, data: S) =>
    Effect.gen(function* () {
      const body = yield* api.fetch(request)
      const decode = <T extends Schema.Decoder<unknown>>(schema: T) =>
        Http.decodeJsonText(schema, body.text, (detail, offset, path) =>
          api.decodeError({ url: body.url, detail, input: body.text, offset, path })
        )
      const envelope = yield* decode(Envelope)
      if (!envelope.success) {
        return yield* new SourceError.UpstreamFailure({
          source: sourceId,
          url: body.url,
          upstreamMessage: Redaction.scrub(envelope.message ?? "(no message)", api.secrets)
        })
      }
      const decoded = yield* decode(Schema.Struct({ data }))
      return (decoded as { readonly data: S["Type"] }).data
    })

  return {
    datasets: call(HttpClientRequest.get("/getQueryList"), Schema.Array(Dataset)),
    link: (dataset, format) =>
      call(
        HttpClientRequest.post("/getQueryResults").pipe(HttpClientRequest.bodyJsonUnsafe({ id: dataset, format })),
        Link
      ).pipe(Effect.map((link) => link.url)),
    files
  } satisfies Api
})
