/**
 * HTTP for sources, over undici: the one way a connector talks to an API.
 *
 * A {@link Client} is made per source from {@link ClientOptions}. Every request it sends passes the
 * source's rate limiter, goes out with the default headers (secrets unwrapped from `Redacted` only here,
 * and only for the origin of `baseUrl`), follows a few redirects (never one that would take a secret to
 * another origin), is classified into a {@link SourceError} by status, and is retried by the source's
 * policy. Bodies are decoded only from an encoding the request asked for, hashed (SHA-256) as they stream
 * in, bounded in size, and guarded by an idle timeout and an overall budget per request; `open` hands a
 * body over unread for files too large to hold.
 *
 * @since 0.1.0
 */
// Deep imports: the package index loads every Node module (workers, cluster, Redis, …), some 30 MB.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import {
  type DateTime,
  type Duration,
  type Effect,
  Layer,
  type Redacted,
  type Schema,
  type Scope,
  type Stream
} from "effect"
import type { Headers, HttpClientRequest } from "effect/http"
import type { RateLimiter } from "effect/persistence"
import type { Provenance } from "./Feed.ts"
import * as ClientEngine from "./internal/client.ts"
import * as JsonText from "./internal/jsonText.ts"
import * as Manifest from "./internal/manifest.ts"
import * as RateLimit from "./RateLimit.ts"
import type * as Retry from "./Retry.ts"
import type { ConfigError, DecodeError, SourceError } from "./SourceError.ts"

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
  /**
   * Sent with every request. Put secrets in `Redacted` values: they are unwrapped only on the wire, and
   * only to the origin of `baseUrl`; a redirect that would take one elsewhere is not followed
   * (`RequestRejected`).
   */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>> | undefined
  readonly userAgent?: string | undefined
  /** Longest wait for a response's headers. Default 30 s. */
  readonly responseTimeout?: Duration.Input | undefined
  /** Longest silence while a body streams in. Default 30 s. */
  readonly bodyTimeout?: Duration.Input | undefined
  /**
   * Longest time one request may take in all, from sending it to the last byte of its body, redirects
   * included; a body trickling in a byte at a time ends here (`Transient`, reason `timeout`). Default
   * 5 min, for `fetch` and for `open` unless the caller gives `open` a budget of its own.
   */
  readonly totalTimeout?: Duration.Input | undefined
  /** Largest body `fetch` will hold in memory. Default 64 MiB. */
  readonly maxBodyBytes?: number | undefined
  readonly retry?: Retry.RetryPolicy | undefined
  readonly rateLimit?: RateLimit.RateLimitPolicy | undefined
}

/**
 * The `connector` of {@link ClientOptions} (and of a source) from the connector package's own
 * `package.json`, so a version bump reaches provenance and the user agent:
 * `connectorOf(pkg)` is `"@electfeed/ca-sos@0.1.0"` for `import pkg from "../package.json" with { type: "json" }`.
 * Throws when `name` or `version` is missing or malformed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const connectorOf: (manifest: unknown) => string = Manifest.connectorOf

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
  /**
   * The body, guarded by the idle timeout and the request's overall budget (both fail it with `Transient`,
   * reason `timeout`); a dropped connection fails it with `Transient` too. It is decoded from gzip,
   * deflate or brotli only when the request's `accept-encoding` asked for that encoding: otherwise (a
   * file asked for as `identity`, say) the bytes are handed over as they came, `content-encoding` intact.
   */
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
 * How `open` treats a request.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpenOptions {
  /** The statuses taken as answers. Default: 2xx. */
  readonly accept?: Accept | undefined
  /**
   * Longest time the request may take in all, its whole body read included. Default: the client's
   * `totalTimeout`. A download of a large file needs a longer one.
   */
  readonly totalTimeout?: Duration.Input | undefined
}

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
   * body is read by the caller within the scope, and within the request's overall budget.
   */
  readonly open: (
    request: HttpClientRequest.HttpClientRequest,
    options?: OpenOptions
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
 * The services every source needs for HTTP: undici's dispatcher (its connection pool, which the client
 * sends through directly) and the rate limiter.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = NodeHttpClient.Dispatcher | RateLimiter.RateLimiter

/**
 * JSON path notation for a schema issue's path: `$.candidates[3].Votes`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const formatPath: (path: ReadonlyArray<PropertyKey>) => string = JsonText.formatPath

/**
 * Makes the HTTP client of one source.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeClient: (options: ClientOptions) => Effect.Effect<Client, ConfigError, Services> = ClientEngine.make

// One kept-alive connection pool, destroyed (all sockets closed) when the layer's scope ends.
const undiciPool: Layer.Layer<NodeHttpClient.Dispatcher> = NodeHttpClient.layerDispatcherOptions({
  connect: { timeout: 10_000 },
  keepAliveTimeout: 30_000,
  connections: 8
})

/**
 * Everything a source needs to talk HTTP: undici with one kept-alive connection pool (8 connections per
 * origin, 10 s to connect, idle connections closed after 30 s) and the in-memory rate limiter. Clients made
 * by {@link makeClient} decode the gzip, brotli and deflate bodies they asked for and follow redirects
 * themselves.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Services> = Layer.mergeAll(undiciPool, RateLimit.layerMemory)
