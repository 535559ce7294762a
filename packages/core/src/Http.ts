/**
 * HTTP for sources, over undici: the one way a connector talks to an API.
 *
 * A {@link Client} is made per source from {@link ClientOptions}. Every request it sends passes the
 * source's rate limiter, goes out with the default headers (secrets unwrapped from `Redacted` only here),
 * is classified into a {@link SourceError} by status, and is retried by the source's policy. Bodies are
 * hashed (SHA-256) as they stream in, bounded in size, and guarded by an idle timeout; `open` hands a
 * body over unread for files too large to hold.
 *
 * @since 0.1.0
 */
import { createHash, type Hash } from "node:crypto"
import * as zlib from "node:zlib"
// Deep imports: the package index loads every Node module (workers, cluster, Redis, …), some 30 MB.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeStream from "@effect/platform-node/NodeStream"
import {
  Cause,
  DateTime,
  Duration,
  Effect,
  Layer,
  Option,
  Redacted,
  Result,
  Schema,
  SchemaIssue,
  type Scope,
  Stream
} from "effect"
import {
  Headers,
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  type HttpClientResponse,
  UrlParams
} from "effect/http"
import type { RateLimiter } from "effect/persistence"
import type { Provenance } from "./Feed.ts"
import { formatBytes, formatDuration } from "./internal/format.ts"
import * as RateLimit from "./RateLimit.ts"
import { excerpt, redactUrl } from "./Redaction.ts"
import * as Retry from "./Retry.ts"
import {
  AuthError,
  ConfigError,
  DecodeError,
  NotFound,
  RateLimited,
  RequestRejected,
  type SourceError,
  Transient
} from "./SourceError.ts"

/**
 * How a source talks HTTP.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** The connector id, used in errors, logs and rate-limit keys. */
  readonly source: string
  /** `name@version` of the connector, for provenance and the user agent. */
  readonly connector: string
  /** Relative request URLs are resolved against it; absolute ones (a file host) are sent as they are. */
  readonly baseUrl: string
  /** Sent with every request. Put secrets in `Redacted` values: they are unwrapped only on the wire. */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>> | undefined
  readonly userAgent?: string | undefined
  /** Longest wait for a response's headers. Default 30 s. */
  readonly responseTimeout?: Duration.Input | undefined
  /** Longest silence while a body streams in. Default 30 s. */
  readonly bodyTimeout?: Duration.Input | undefined
  /** Largest body `fetch` will hold in memory. Default 64 MiB. */
  readonly maxBodyBytes?: number | undefined
  readonly retry?: Retry.RetryPolicy | undefined
  readonly rateLimit?: RateLimit.RateLimitPolicy | undefined
}

/**
 * A response whose body has been read whole.
 *
 * @since 0.1.0
 * @category models
 */
export interface Body {
  readonly status: number
  readonly headers: Headers.Headers
  /** The URL fetched, secrets and signatures removed. */
  readonly url: string
  /** When the response's headers arrived. */
  readonly observedAt: DateTime.Utc
  readonly bytes: Uint8Array
  /** SHA-256 hex of the body as received (after content decoding). */
  readonly sha256: string
  /** The body as UTF-8 text, a leading byte-order mark removed. */
  readonly text: string
}

/**
 * A response whose body has not been read yet.
 *
 * @since 0.1.0
 * @category models
 */
export interface Opened {
  readonly status: number
  readonly headers: Headers.Headers
  readonly url: string
  readonly observedAt: DateTime.Utc
  /** The body, guarded by the idle timeout. A dropped connection fails it with `Transient`. */
  readonly body: Stream.Stream<Uint8Array, SourceError>
}

/**
 * Which statuses a caller takes as answers rather than errors. Default: 2xx.
 *
 * @since 0.1.0
 * @category models
 */
export type Accept = (status: number) => boolean

/**
 * The HTTP client of one source.
 *
 * @since 0.1.0
 * @category models
 */
export interface Client {
  readonly source: string
  readonly connector: string
  /** The secret values this client sends, to scrub from anything it reports. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** Sends a request and reads its body whole; rate limited, and retried as a whole. */
  readonly fetch: (
    request: HttpClientRequest.HttpClientRequest,
    options?: { readonly accept?: Accept }
  ) => Effect.Effect<Body, SourceError>
  /** `fetch`, then the body as JSON decoded by `schema`; a mismatch is a `DecodeError` naming the path. */
  readonly json: <S extends Schema.Top>(
    request: HttpClientRequest.HttpClientRequest,
    schema: S
  ) => Effect.Effect<{ readonly value: S["Type"]; readonly body: Body }, SourceError, S["DecodingServices"]>
  /**
   * Sends a request and returns as soon as its headers arrive; rate limited, and retried until then. The
   * body is read by the caller within the scope.
   */
  readonly open: (
    request: HttpClientRequest.HttpClientRequest,
    options?: { readonly accept?: Accept }
  ) => Effect.Effect<Opened, SourceError, Scope.Scope>
  /** The provenance of a body fetched by this client. */
  readonly provenance: (body: { readonly url: string; readonly sha256: string }) => Provenance
  /** A `DecodeError` for this source, its excerpt cut from `input` and scrubbed of secrets. */
  readonly decodeError: (fields: {
    readonly url: string
    readonly detail: string
    readonly input: string
    readonly offset?: number | undefined
    readonly path?: string | undefined
    readonly row?: number | undefined
    readonly column?: string | undefined
  }) => DecodeError
}

/**
 * The services every source needs for HTTP: the undici client and the rate limiter.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = HttpClient.HttpClient | RateLimiter.RateLimiter

const ok: Accept = (status) => status >= 200 && status < 300

const decompressors: Record<string, () => zlib.Gunzip | zlib.BrotliDecompress | zlib.Inflate> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: () => zlib.createInflate()
}

const sha256Hex = (hash: Hash) => hash.digest("hex")

const utf8 = new TextDecoder("utf-8", { ignoreBOM: false })

/** The URL a request goes to, its `urlParams` included. */
const fullUrl = (request: HttpClientRequest.HttpClientRequest): string => {
  const params = UrlParams.toString(request.urlParams)
  return params === "" ? request.url : `${request.url}${request.url.includes("?") ? "&" : "?"}${params}`
}

const isAbsolute = (url: string) => /^https?:\/\//i.test(url)

const joinUrl = (base: string, url: string) =>
  isAbsolute(url) ? url : base.replace(/\/+$/, "") + "/" + url.replace(/^\/+/, "")

/**
 * JSON path notation for a schema issue's path: `$.candidates[3].Votes`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  "$" +
  path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(String(key))}]`
    )
    .join("")

const standardIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * The first problem of a schema failure, as a path and a message.
 *
 * @since 0.1.0
 * @category decoding
 */
export const firstIssue = (
  issue: SchemaIssue.Issue
): { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } => {
  const [first] = standardIssues(issue).issues
  return first === undefined
    ? { path: [], message: SchemaIssue.makeFormatterDefault()(issue) }
    : { path: (first.path ?? []).map((p) => (typeof p === "object" ? p.key : p)), message: first.message }
}

/**
 * Makes the HTTP client of one source.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeClient = Effect.fnUntraced(function* (
  options: ClientOptions
): Effect.fn.Return<Client, ConfigError, Services> {
  const source = options.source
  const policy = options.retry ?? Retry.defaultPolicy
  const responseTimeout = Duration.fromInputUnsafe(options.responseTimeout ?? "30 seconds")
  const bodyTimeout = Duration.fromInputUnsafe(options.bodyTimeout ?? "30 seconds")
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024
  const gate = yield* RateLimit.makeGate(source, options.rateLimit ?? RateLimit.defaultPolicy)
  const headerEntries = Object.entries(options.headers ?? {})
  const secrets = headerEntries.map(([, value]) => value).filter(Redacted.isRedacted) as Array<
    Redacted.Redacted<string>
  >

  if (!isAbsolute(options.baseUrl)) {
    return yield* new ConfigError({
      source,
      detail: `baseUrl must be an absolute http(s) URL, got ${JSON.stringify(options.baseUrl)}`
    })
  }

  const http = (yield* HttpClient.HttpClient).pipe(HttpClient.followRedirects(5))

  const defaultHeaders = (request: HttpClientRequest.HttpClientRequest) => {
    let out = request.pipe(
      HttpClientRequest.setUrl(joinUrl(options.baseUrl, request.url)),
      HttpClientRequest.setHeader("user-agent", options.userAgent ?? `electfeed (${options.connector})`)
    )
    if (request.headers["accept-encoding"] === undefined) {
      out = HttpClientRequest.setHeader(out, "accept-encoding", "gzip, br")
    }
    for (const [name, value] of headerEntries) {
      out = HttpClientRequest.setHeader(out, name, Redacted.isRedacted(value) ? Redacted.value(value) : value)
    }
    return out
  }

  const transportError = (url: string, error: HttpClientError.HttpClientError): SourceError => {
    const reason = error.reason
    switch (reason._tag) {
      case "InvalidUrlError":
      case "EncodeError":
        return new ConfigError({
          source,
          detail: `cannot send the request to ${url}: ${String(reason.description ?? reason._tag)}`
        })
      case "TransportError":
        return new Transient({ source, url, reason: "network", detail: describeCause(reason.cause) })
      default:
        return new Transient({
          source,
          url,
          reason: "network",
          detail: `the response broke off: ${describeCause(reason.cause)}`
        })
    }
  }

  const guardBody = (
    url: string,
    encoding: string | undefined,
    stream: Stream.Stream<Uint8Array, HttpClientError.HttpClientError>
  ): Stream.Stream<Uint8Array, SourceError> => {
    const decompress = encoding === undefined ? undefined : decompressors[encoding.trim().toLowerCase()]
    const raw = stream.pipe(Stream.mapError((error) => transportError(url, error)))
    const decoded =
      decompress === undefined
        ? raw
        : raw.pipe(
            NodeStream.pipeThroughDuplex({
              evaluate: decompress,
              onError: (cause) =>
                new DecodeError({
                  source,
                  url,
                  detail: `the ${encoding} body cannot be decompressed: ${describeCause(cause)}`,
                  excerpt: ""
                })
            })
          )
    return decoded.pipe(
      Stream.timeoutOrElse({
        duration: bodyTimeout,
        orElse: () =>
          Stream.fail(
            new Transient({
              source,
              url,
              reason: "timeout",
              detail: `the body stalled for ${formatDuration(bodyTimeout)}`
            })
          )
      })
    )
  }

  const readAll = (url: string, stream: Stream.Stream<Uint8Array, SourceError>, limit: number) =>
    Effect.suspend(() => {
      const hash = createHash("sha256")
      const chunks: Array<Uint8Array> = []
      let size = 0
      return stream.pipe(
        Stream.runForEach((chunk) => {
          size += chunk.byteLength
          if (size > limit) {
            return Effect.fail(
              new DecodeError({
                source,
                url,
                detail: `the body is larger than the ${formatBytes(limit)} allowed`,
                excerpt: ""
              })
            )
          }
          hash.update(chunk)
          chunks.push(chunk)
          return Effect.void
        }),
        Effect.map(() => ({ bytes: Buffer.concat(chunks, size), sha256: sha256Hex(hash) }))
      )
    })

  const errorFor = (status: number, url: string, headers: Headers.Headers, text: string, now: number): SourceError => {
    if (status === 401 || status === 403) return new AuthError({ source, url, status })
    if (status === 404) return new NotFound({ source, url })
    if (status === 408)
      return new Transient({ source, url, reason: "timeout", status, detail: "the server timed out the request" })
    if (status === 429) return new RateLimited({ source, url, retryAfter: retryAfter(headers, now) })
    if (status >= 500) {
      return new Transient({
        source,
        url,
        reason: "server",
        status,
        detail: excerpt(text, { secrets }) || "server error"
      })
    }
    return new RequestRejected({ source, url, status, excerpt: excerpt(text, { secrets }) })
  }

  const send = (request: HttpClientRequest.HttpClientRequest, accept: Accept) =>
    Effect.gen(function* () {
      const prepared = defaultHeaders(request)
      const url = redactUrl(fullUrl(prepared))
      const host = Result.getOrElse(
        Result.try(() => new URL(prepared.url).host),
        () => prepared.url
      )
      const ticket = yield* gate.admit(host)
      const started = yield* DateTime.now
      const response: HttpClientResponse.HttpClientResponse = yield* http.execute(prepared).pipe(
        // Spans would carry the full URL, signature included, to whatever tracer an app installs.
        Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
        Effect.provideService(HttpClient.TracerPropagationEnabled, false),
        Effect.mapError((error) => transportError(url, error)),
        Effect.timeoutOrElse({
          duration: responseTimeout,
          orElse: () =>
            Effect.fail(
              new Transient({
                source,
                url,
                reason: "timeout",
                detail: `no response within ${formatDuration(responseTimeout)}`
              })
            )
        })
      )
      const observedAt = yield* DateTime.now
      const retryAfterHint =
        response.status === 429
          ? Option.getOrUndefined(retryAfter(response.headers, DateTime.toEpochMillis(observedAt)))
          : undefined
      yield* gate.report(ticket, response.status, retryAfterHint)
      yield* Effect.logDebug(
        `${prepared.method} ${url} -> ${response.status} in ${formatDuration(DateTime.distance(started, observedAt))}`
      )
      const body = guardBody(url, response.headers["content-encoding"], response.stream)
      if (!accept(response.status)) {
        const { bytes } = yield* readAll(url, Stream.take(body, 16), 64 * 1024).pipe(
          Effect.catch(() => Effect.succeed({ bytes: new Uint8Array() }))
        )
        return yield* Effect.fail(
          errorFor(response.status, url, response.headers, utf8.decode(bytes), DateTime.toEpochMillis(observedAt))
        )
      }
      return { status: response.status, headers: response.headers, url, observedAt, body } satisfies Opened
    })

  const fetch = (request: HttpClientRequest.HttpClientRequest, fetchOptions?: { readonly accept?: Accept }) =>
    Effect.gen(function* () {
      const opened = yield* send(request, fetchOptions?.accept ?? ok)
      const { bytes, sha256 } = yield* readAll(opened.url, opened.body, maxBodyBytes)
      return {
        status: opened.status,
        headers: opened.headers,
        url: opened.url,
        observedAt: opened.observedAt,
        bytes,
        sha256,
        text: utf8.decode(bytes)
      } satisfies Body
    }).pipe(Retry.retrying(policy), Effect.annotateLogs({ source }))

  const decodeError: Client["decodeError"] = (fields) =>
    new DecodeError({
      source,
      url: fields.url,
      detail: fields.detail,
      excerpt: excerpt(fields.input, { offset: fields.offset ?? 0, secrets }),
      ...(fields.path === undefined ? {} : { path: fields.path }),
      ...(fields.row === undefined ? {} : { row: fields.row }),
      ...(fields.column === undefined ? {} : { column: fields.column })
    })

  const json = <S extends Schema.Top>(request: HttpClientRequest.HttpClientRequest, schema: S) =>
    Effect.gen(function* () {
      const body = yield* fetch(request)
      const value = yield* decodeJsonText(schema, body.text, (detail, offset, path) =>
        decodeError({ url: body.url, detail, input: body.text, offset, path })
      )
      return { value, body }
    })

  const open = (request: HttpClientRequest.HttpClientRequest, openOptions?: { readonly accept?: Accept }) =>
    send(request, openOptions?.accept ?? ok).pipe(Retry.retrying(policy), Effect.annotateLogs({ source }))

  const provenance = (body: { readonly url: string; readonly sha256: string }): Provenance => ({
    url: body.url,
    sha256: body.sha256,
    connector: options.connector
  })

  return { source, connector: options.connector, secrets, fetch, json, open, provenance, decodeError } satisfies Client
})

/**
 * Parses JSON text and decodes it with `schema`. On failure, `onError` gets what went wrong, the offset
 * in the text where it can be seen, and the JSON path of the value.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeJsonText = <S extends Schema.Top, E>(
  schema: S,
  text: string,
  onError: (detail: string, offset: number, path: string | undefined) => E
): Effect.Effect<S["Type"], E, S["DecodingServices"]> =>
  Effect.suspend(() => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      const position = /position (\d+)/.exec(message)
      return Effect.fail(onError(`not valid JSON: ${message}`, position ? Number(position[1]) : 0, undefined))
    }
    return Schema.decodeUnknownEffect(schema)(parsed).pipe(
      Effect.mapError((error) => {
        const { message, path } = firstIssue(error.issue)
        const found = valueAt(parsed, path)
        const offset = typeof found === "string" ? Math.max(0, text.indexOf(JSON.stringify(found))) : 0
        return onError(message, offset, formatPath(path))
      })
    )
  })

const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (current, key) => (current !== null && typeof current === "object" ? (current as any)[key] : undefined),
    value
  )

const describeCause = (cause: unknown): string => {
  if (Cause.isTimeoutError(cause)) return "timed out"
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const inner = (cause as { cause?: unknown }).cause
    const innerText = inner instanceof Error ? `: ${inner.message}` : ""
    return `${typeof code === "string" ? `${code} ` : ""}${cause.message}${innerText}`
  }
  return String(cause)
}

/**
 * The wait a `Retry-After` header asks for, from seconds or an HTTP-date, measured from `now` (epoch ms).
 *
 * @since 0.1.0
 * @category retry
 */
export const retryAfter = (headers: Headers.Headers, now: number): Option.Option<Duration.Duration> => {
  const value = headers["retry-after"]
  if (value === undefined) return Option.none()
  return Result.match(Headers.parseRetryAfter(value), {
    onFailure: () => Option.none(),
    onSuccess: (parsed) => Option.some(Headers.retryAfterDelay(parsed, now))
  })
}

/**
 * Settings of the shared undici connection pool.
 *
 * @since 0.1.0
 * @category layers
 */
export interface PoolOptions {
  /** Longest wait to open a connection. Default 10 s. */
  readonly connectTimeout?: Duration.Input
  /** How long an idle kept-alive connection stays open. Default 30 s. */
  readonly keepAliveTimeout?: Duration.Input
  /** Connections per origin. Default 8. */
  readonly connectionsPerOrigin?: number
}

/**
 * The undici `HttpClient` for sources: one kept-alive connection pool, destroyed (all sockets closed)
 * when the layer's scope ends. (Clients made by {@link makeClient} decode gzip, brotli and deflate bodies.)
 *
 * @since 0.1.0
 * @category layers
 */
export const layerUndici = (options?: PoolOptions): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerUndiciOptions({
    connect: { timeout: Duration.toMillis(Duration.fromInputUnsafe(options?.connectTimeout ?? "10 seconds")) },
    keepAliveTimeout: Duration.toMillis(Duration.fromInputUnsafe(options?.keepAliveTimeout ?? "30 seconds")),
    connections: options?.connectionsPerOrigin ?? 8
  })

/**
 * Everything a source needs to talk HTTP, with defaults: {@link layerUndici} and the in-memory rate limiter.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Services> = Layer.mergeAll(layerUndici(), RateLimit.layerMemory)
