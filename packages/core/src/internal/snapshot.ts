/**
 * Snapshot streams: documents polled again and again. Each request is sent conditionally (the ETag and
 * Last-Modified of its last answer); a `304`, or a body whose SHA-256 is the one read before, is neither
 * decoded nor emitted.
 */

import { createHash } from "node:crypto"
import { Context, Effect, Option, Schema, Stream } from "effect"
import { type HttpClientRequest, HttpClientRequest as Request, UrlParams } from "effect/http"
import type { StreamContext, StreamDefinition } from "../Define.ts"
import type { EntityKind } from "../Feed.ts"
import type * as Http from "../Http.ts"
import * as Source from "../Source.ts"
import type { SourceError } from "../SourceError.ts"
import * as Checkpoint from "./checkpoint.ts"
import { type Entity, eventsOf } from "./entities.ts"
import { decodeJsonText } from "./jsonText.ts"

/** What became of one snapshot request. */
export interface SnapshotEvent {
  readonly stream: string
  readonly request: string
  /**
   * `decoded`: a new body, decoded and emitted. `not-modified`: a `304`. `same-body`: the body read before.
   * `not-found`: a `404` to an optional request, passed over.
   */
  readonly outcome: "decoded" | "not-modified" | "same-body" | "not-found"
}

/** Told what became of each snapshot request; logs at debug level by default. */
export const SnapshotListener = Context.Reference<(event: SnapshotEvent) => Effect.Effect<void>>(
  "@electfeed/core/Source/SnapshotListener",
  {
    defaultValue: () => (event) =>
      event.outcome === "decoded"
        ? Effect.void
        : Effect.logDebug(`${event.stream}: ${event.request} is unchanged (${event.outcome}); not decoded`)
  }
)

/** What decoding a body, and mapping it, is given: the stream's context and the request it answers. */
export interface SnapshotContext<Config> extends StreamContext<Config> {
  readonly request: HttpClientRequest.HttpClientRequest
}

/** How a body is decoded: a schema of its JSON, or a function for CSV and other formats. */
export type BodyDecoder<Config, Body> =
  | Schema.Decoder<Body>
  | ((body: Http.Body, context: SnapshotContext<Config>) => Effect.Effect<Body, SourceError>)

/** The requests of a snapshot stream: one, or a list built from the config. */
export type Requests<Config> =
  | { readonly request: HttpClientRequest.HttpClientRequest; readonly requests?: never }
  | {
      readonly requests: (config: Config) => ReadonlyArray<HttpClientRequest.HttpClientRequest>
      readonly request?: never
    }

/** A snapshot stream, declared. */
export type SnapshotOptions<Config, K extends EntityKind, Body> = Requests<Config> & {
  readonly kind: K
  /** How an event's `key` is formed, for people. */
  readonly key: string
  readonly description: string
  readonly body: BodyDecoder<Config, Body>
  /**
   * The entities of a decoded body; `http` is the response (its URL, headers, when it arrived). An entity
   * whose key an earlier body of the same read gave is dropped: the first is kept.
   */
  readonly entities: (
    body: Body,
    context: SnapshotContext<Config> & { readonly http: Http.Body }
  ) => ReadonlyArray<Entity<K>> | Effect.Effect<ReadonlyArray<Entity<K>>, SourceError>
  /** Whether a `404` to `request` is passed over (logged) rather than an error: an endpoint a day may lack. */
  readonly optional?: ((request: HttpClientRequest.HttpClientRequest, config: Config) => boolean) | undefined
}

const requestsOf = <Config>(options: Requests<Config>, config: Config) =>
  options.request === undefined ? options.requests(config) : [options.request]

/** A request's identity in the checkpoint: method, URL, query and a hash of its body. */
const identify = (request: HttpClientRequest.HttpClientRequest): string => {
  const query = UrlParams.toString(request.urlParams)
  const body =
    request.body._tag === "Uint8Array" ? ` sha256:${createHash("sha256").update(request.body.body).digest("hex")}` : ""
  return `${request.method} ${request.url}${query === "" ? "" : `?${query}`}${body}`
}

const conditional = (request: HttpClientRequest.HttpClientRequest, known: Checkpoint.SnapshotRequest | undefined) => {
  const etag = known?.validators.etag
  const lastModified = known?.validators.lastModified
  const withEtag = etag === undefined ? request : Request.setHeader(request, "if-none-match", etag)
  return lastModified === undefined ? withEtag : Request.setHeader(withEtag, "if-modified-since", lastModified)
}

const isOk = (status: number) => status >= 200 && status < 300

const decodeBody = <Config, Body>(
  decoder: BodyDecoder<Config, Body>,
  body: Http.Body,
  context: SnapshotContext<Config>
) =>
  Schema.isSchema(decoder)
    ? decodeJsonText(decoder as Schema.Decoder<Body>, body.text, (detail, offset, path) =>
        context.client.decodeError({ url: body.url, detail, input: body.text, offset, path })
      )
    : (decoder as Exclude<BodyDecoder<Config, Body>, Schema.Decoder<Body>>)(body, context)

/** Builds a snapshot stream. */
export const make = <Config, const K extends EntityKind, Body>(
  options: SnapshotOptions<Config, K, Body>
): StreamDefinition<Config> => {
  const fetchOne = Effect.fnUntraced(function* (
    stream: StreamContext<Config>,
    request: HttpClientRequest.HttpClientRequest,
    known: Checkpoint.SnapshotRequest | undefined
  ) {
    const listener = yield* SnapshotListener
    const context: SnapshotContext<Config> = { ...stream, request }
    const name = identify(request)
    const tell = (outcome: SnapshotEvent["outcome"]) => listener({ stream: context.stream, request: name, outcome })
    const fetched = context.client.fetch(conditional(request, known), {
      accept: (status) => isOk(status) || (known !== undefined && status === 304)
    })
    const optional = options.optional?.(request, context.config) === true
    const body = yield* optional
      ? Effect.catchTag(fetched, "NotFound", (error) =>
          Effect.as(
            Effect.andThen(Effect.logInfo(`passed over, not there today: ${error.url}`), tell("not-found")),
            undefined
          )
        )
      : fetched
    if (body === undefined) return { state: undefined, events: [] }
    if (body.status === 304 && known !== undefined) {
      yield* tell("not-modified")
      return { state: known, events: [] }
    }
    const state: Checkpoint.SnapshotRequest = {
      validators: Checkpoint.validators({ etag: body.headers["etag"], lastModified: body.headers["last-modified"] }),
      sha256: body.sha256
    }
    if (known?.sha256 === body.sha256) {
      yield* tell("same-body")
      return { state, events: [] }
    }
    const value = yield* decodeBody(options.body, body, context)
    const mapped = options.entities(value, { ...context, http: body })
    const entities = Effect.isEffect(mapped) ? yield* mapped : mapped
    const origin = { ...context, url: body.url, sha256: body.sha256, observedAt: body.observedAt }
    const eventOf = eventsOf(options.kind, origin)
    const events = yield* Effect.forEach(entities, (entity) => eventOf(entity))
    yield* tell("decoded")
    return { state, events }
  })

  return {
    mode: "snapshot",
    kind: options.kind,
    key: options.key,
    description: options.description,
    check: (context) => {
      const requests = requestsOf(options, context.config)
      const optional = (request: HttpClientRequest.HttpClientRequest) =>
        options.optional?.(request, context.config) === true
      // A request that must be there says the most; a 404 to an optional one is no more a failure than in a read.
      const first = requests.find((request) => !optional(request)) ?? requests[0]
      if (first === undefined) return Effect.void
      const fetched = Effect.asVoid(context.client.fetch(first))
      return optional(first) ? Effect.catchTag(fetched, "NotFound", () => Effect.void) : fetched
    },
    read: (context, stored) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const previous = yield* Checkpoint.read(Checkpoint.Snapshot, context.stream, stored)
          // Requests not read this time keep what they last answered.
          const requests: Record<string, Checkpoint.SnapshotRequest> = Option.match(previous, {
            onNone: () => ({}),
            onSome: (state) => ({ ...state.requests })
          })
          const emitted = new Set<string>()
          return Stream.fromIterable(requestsOf(options, context.config)).pipe(
            Stream.mapEffect((request) =>
              Effect.map(fetchOne(context, request, requests[identify(request)]), ({ state, events }) => {
                if (state === undefined) delete requests[identify(request)]
                else requests[identify(request)] = state
                const checkpoint: Checkpoint.Snapshot = { _tag: "Snapshot", requests: { ...requests } }
                const fresh = events.filter((event) => !emitted.has(event.key))
                for (const event of fresh) emitted.add(event.key)
                return [...fresh.map(Source.event), Source.checkpoint(context.stream, checkpoint)]
              })
            ),
            Stream.flatMap(Stream.fromIterable)
          )
        })
      )
  }
}
