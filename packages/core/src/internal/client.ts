import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import {
  Clock,
  Context,
  DateTime,
  Duration,
  Effect,
  LogLevel,
  Option,
  Redacted,
  References,
  type Schema,
  Scope,
  type Stream
} from "effect"
import { Headers, HttpClientRequest } from "effect/http"
import type { Provenance } from "../Feed.ts"
import type { Accept, Body, Client, ClientOptions, Opened, OpenOptions, Services } from "../Http.ts"
import * as RateLimit from "../RateLimit.ts"
import { excerpt, redactUrl, scrub } from "../Redaction.ts"
import * as Retry from "../Retry.ts"
import { ConfigError, DecodeError, RequestRejected, type SourceError, Transient } from "../SourceError.ts"
import { type BodyGuard, collect, guardBody, type Whole } from "./body.ts"
import { describeCause, retryAfter, statusError } from "./classify.ts"
import { decoderFor, defaultAcceptEncoding } from "./contentEncoding.ts"
import { formatDuration } from "./format.ts"
import * as Gate from "./gate.ts"
import { decodeJsonText } from "./jsonText.ts"
import { isRedirect, redirectRequest } from "./redirect.ts"
import { type Answer, dispatch } from "./transport.ts"
import { fullUrl, isAbsolute, joinUrl, originOf, parseUrl, resolveLocation } from "./url.ts"
import { Watchdog } from "./watchdog.ts"

const ok: Accept = (status) => status >= 200 && status < 300

const maxRedirects = 5

const utf8 = new TextDecoder("utf-8", { ignoreBOM: false })

const empty = new Uint8Array()

/** One hop of a request: where it went, and how its answer is to be taken. */
interface Hop {
  readonly from: string
  readonly url: string
  readonly watch: Watchdog
  readonly clock: Clock.Clock
  readonly accept: Accept
  /** The most bytes of a body to read whole, or the scope of a body handed over unread. */
  readonly reading: Scope.Scope | number
  readonly acceptEncoding: string | undefined
}

/** What one hop came to; see `respond`. */
interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  /** When the headers came, epoch ms. */
  readonly observedAt: number
  /** Where a redirect points. */
  readonly location?: URL
  /** The start of the body of a status the caller does not accept. */
  readonly refused?: Uint8Array
  readonly whole?: Whole
  readonly body?: Stream.Stream<Uint8Array, SourceError>
}

/** The client of one source; see `Http.makeClient`. */
export const make = Effect.fn("Http.makeClient")(function* (
  options: ClientOptions
): Effect.fn.Return<Client, ConfigError, Services> {
  const source = options.source
  const origin = isAbsolute(options.baseUrl) ? originOf(options.baseUrl) : undefined
  if (origin === undefined) {
    return yield* new ConfigError({
      source,
      detail: `baseUrl must be an absolute http(s) URL, got ${JSON.stringify(options.baseUrl)}`
    })
  }
  const policy = options.retry ?? Retry.defaultPolicy
  const responseTimeout = Duration.fromInputUnsafe(options.responseTimeout ?? "30 seconds")
  const bodyTimeout = Duration.fromInputUnsafe(options.bodyTimeout ?? "30 seconds")
  const totalTimeout = Duration.fromInputUnsafe(options.totalTimeout ?? "5 minutes")
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024
  const gate = yield* Gate.make(source, options.rateLimit ?? RateLimit.defaultPolicy, policy.maxRetryAfter)
  const plainHeaders: Array<readonly [string, string]> = []
  const secretHeaders: Array<readonly [string, Redacted.Redacted<string>]> = []
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === "string") plainHeaders.push([name, value])
    else secretHeaders.push([name, value])
  }
  const secrets = secretHeaders.map(([, value]) => value)
  const dispatcher = yield* NodeHttpClient.Dispatcher
  const userAgent = options.userAgent ?? `electfeed (${options.connector})`

  const prepare = (request: HttpClientRequest.HttpClientRequest) => {
    const url = joinUrl(options.baseUrl, request.url)
    const headers: Record<string, string> = { ...request.headers, "user-agent": userAgent }
    if (headers["accept-encoding"] === undefined) headers["accept-encoding"] = defaultAcceptEncoding
    for (const [name, value] of plainHeaders) headers[name.toLowerCase()] = value
    // A secret goes to the origin it was configured for, and nowhere else: not to a file host, not
    // after a redirect.
    if (secretHeaders.length > 0 && originOf(url) === origin) {
      for (const [name, value] of secretHeaders) headers[name.toLowerCase()] = Redacted.value(value)
    }
    return HttpClientRequest.makeWith(
      request.method,
      url,
      request.urlParams,
      request.hash,
      Headers.fromInput(headers),
      request.body
    )
  }

  /**
   * What one hop of a request comes to, decided as its headers come in: a redirect (its body dropped);
   * the start of the body of a status the caller does not accept; or the answer, its body read whole up
   * to `reading` bytes, or with a scope, handed over unread.
   */
  const respond = (hop: Hop, answer: Answer, done: (result: Effect.Effect<Response, SourceError>) => void): void => {
    const { status, headers, body } = answer
    const { watch, url } = hop
    const observedAt = hop.clock.currentTimeMillisUnsafe()
    const location = isRedirect(status) ? resolveLocation(headers["location"], hop.from) : undefined
    if (location !== undefined) {
      watch.close()
      done(Effect.succeed({ status, headers, observedAt, location }))
      return
    }
    const encoding = headers["content-encoding"]
    const guard: BodyGuard = { source, url, encoding, decoder: decoderFor(encoding, hop.acceptEncoding), watch }
    if (!hop.accept(status)) {
      collect(guard, body, 64 * 1024, "cut", (result) =>
        done(Effect.succeed({ status, headers, observedAt, refused: "sha256" in result ? result.bytes : empty }))
      )
    } else if (typeof hop.reading !== "number") {
      done(Effect.succeed({ status, headers, observedAt, body: guardBody(guard, body) }))
    } else {
      collect(guard, body, hop.reading, "fail", (result) =>
        done("sha256" in result ? Effect.succeed({ status, headers, observedAt, whole: result }) : Effect.fail(result))
      )
    }
  }

  /**
   * Sends a request, following redirects (a few, and never one that would take a secret to another
   * origin), and returns the final response once the caller accepts its status: with its body read whole
   * up to `reading` bytes, or, given a scope, as soon as its headers are in, the body watched by the
   * attempt's watchdog and broken off when the scope closes if nobody read it to the end.
   */
  const send = Effect.fnUntraced(function* (
    request: HttpClientRequest.HttpClientRequest,
    accept: Accept,
    budget: Duration.Duration,
    reading: Scope.Scope | number
  ) {
    let current = prepare(request)
    const first = parseUrl(current)
    if (first === undefined) {
      return yield* new ConfigError({
        source,
        detail: `cannot send the request to ${redactUrl(fullUrl(current))}: not a URL`
      })
    }
    const carriesSecret = secretHeaders.length > 0 && first.origin === origin
    const context = yield* Effect.context<never>()
    const clock = Context.get(context, Clock.Clock)
    const debug = LogLevel.isGreaterThanOrEqualTo("Debug", Context.get(context, References.MinimumLogLevel))
    const requestedUrl = redactUrl(first)
    let deadline: number | undefined
    let target = first
    let url = requestedUrl
    for (let redirects = 0; ; redirects++) {
      const from = target.href
      const ticket = yield* gate.admit(target.host, url)
      const started = clock.currentTimeMillisUnsafe()
      // The budget starts once the limiter lets the request go: its waits are ours, not the server's.
      deadline ??= started + Duration.toMillis(budget)
      const watch = new Watchdog(
        { source, url, deadline, budget, responseTimeout, idle: bodyTimeout },
        context,
        started
      )
      if (typeof reading !== "number") {
        yield* Scope.addFinalizer(
          reading,
          Effect.sync(() => watch.close())
        )
      }
      const hop: Hop = { from, url, watch, clock, accept, reading, acceptEncoding: current.headers["accept-encoding"] }
      const response = yield* dispatch<Response>(
        dispatcher,
        source,
        current,
        target,
        watch,
        (cause) => watch.expired ?? new Transient({ source, url, reason: "network", detail: describeCause(cause) }),
        (answer, done) => respond(hop, answer, done)
      )
      const { status, headers, observedAt } = response
      const hint = status === 429 ? Option.getOrUndefined(retryAfter(headers, observedAt)) : undefined
      yield* gate.report(ticket, status, hint)
      if (debug) {
        yield* Effect.logDebug(`${current.method} ${url} -> ${status} in ${formatDuration(observedAt - started)}`).pipe(
          Effect.annotateLogs({ source })
        )
      }
      const location = response.location
      if (location !== undefined) {
        if (carriesSecret && location.origin !== origin) {
          return yield* new RequestRejected({
            source,
            url,
            status,
            excerpt: scrub(
              `redirected to ${redactUrl(location)}, another origin: not followed, so that the credentials ` +
                `configured for ${origin} stay there`,
              secrets
            )
          })
        }
        if (redirects === maxRedirects) {
          return yield* new RequestRejected({
            source,
            url,
            status,
            excerpt: scrub(`more than ${maxRedirects} redirects in a row, the last to ${redactUrl(location)}`, secrets)
          })
        }
        current = redirectRequest(current, status, from, location)
        target = parseUrl(current) ?? location
        url = redactUrl(target)
        continue
      }
      if (response.refused !== undefined) {
        const text = utf8.decode(response.refused)
        return yield* statusError({ source, url, status, headers, text, now: observedAt, secrets })
      }
      return { ...response, url: requestedUrl, observedAt: DateTime.makeUnsafe(observedAt) }
    }
  })

  // Untraced, unlike most of the library: a traced function captures a stack and opens a span per call,
  // which measured as much CPU per request as undici itself. Logs say their source where they are made.
  const fetch = Effect.fnUntraced(function* (
    request: HttpClientRequest.HttpClientRequest,
    fetchOptions?: { readonly accept?: Accept }
  ) {
    const sent = yield* send(request, fetchOptions?.accept ?? ok, totalTimeout, maxBodyBytes)
    const { bytes, sha256 } = sent.whole!
    return {
      status: sent.status,
      headers: sent.headers,
      url: sent.url,
      observedAt: sent.observedAt,
      bytes,
      sha256,
      text: utf8.decode(bytes)
    } satisfies Body
  }, Retry.retrying(policy))

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

  const json = Effect.fnUntraced(function* <S extends Schema.Top>(
    request: HttpClientRequest.HttpClientRequest,
    schema: S
  ) {
    const body = yield* fetch(request)
    const value = yield* decodeJsonText(schema, body.text, (detail, offset, path) =>
      decodeError({ url: body.url, detail, input: body.text, offset, path })
    )
    return { value, body }
  })

  const open = Effect.fnUntraced(function* (request: HttpClientRequest.HttpClientRequest, openOptions?: OpenOptions) {
    const budget =
      openOptions?.totalTimeout === undefined ? totalTimeout : Duration.fromInputUnsafe(openOptions.totalTimeout)
    const sent = yield* send(request, openOptions?.accept ?? ok, budget, yield* Scope.Scope)
    return {
      status: sent.status,
      headers: sent.headers,
      url: sent.url,
      observedAt: sent.observedAt,
      body: sent.body!
    } satisfies Opened
  }, Retry.retrying(policy))

  const provenance = (body: { readonly url: string; readonly sha256: string }): Provenance => ({
    url: body.url,
    sha256: body.sha256,
    connector: options.connector
  })

  return {
    source,
    connector: options.connector,
    secrets,
    fetch,
    json,
    open,
    provenance,
    decodeError
  } satisfies Client
})
