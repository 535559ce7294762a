import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Clock, DateTime, Duration, Effect, LogLevel, Option, Redacted, References, type Schema, Scope } from "effect"
import { Headers, HttpClientRequest } from "effect/http"
import type { Provenance } from "../Feed.ts"
import type { Accept, Body, Client, ClientOptions, Opened, OpenOptions, Services } from "../Http.ts"
import * as RateLimit from "../RateLimit.ts"
import { excerpt, redactUrl, scrub } from "../Redaction.ts"
import * as Retry from "../Retry.ts"
import { ConfigError, DecodeError, RequestRejected, Transient } from "../SourceError.ts"
import { type BodyGuard, guardBody, readAll } from "./body.ts"
import { describeCause, retryAfter, statusError } from "./classify.ts"
import { decoderFor, defaultAcceptEncoding } from "./contentEncoding.ts"
import { formatDuration } from "./format.ts"
import * as Gate from "./gate.ts"
import { decodeJsonText } from "./jsonText.ts"
import { isRedirect, redirectRequest } from "./redirect.ts"
import { dispatch } from "./transport.ts"
import { fullUrl, isAbsolute, joinUrl, originOf, parseUrl, resolveLocation } from "./url.ts"
import { Watchdog } from "./watchdog.ts"

const ok: Accept = (status) => status >= 200 && status < 300

const maxRedirects = 5

const utf8 = new TextDecoder("utf-8", { ignoreBOM: false })

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
   * Sends a request, following redirects (a few, and never one that would take a secret to another
   * origin), and returns the final response once the caller accepts its status. Its body, watched by the
   * attempt's watchdog, is broken off when `scope` closes if nobody read it to the end.
   */
  const send = Effect.fnUntraced(function* (
    request: HttpClientRequest.HttpClientRequest,
    accept: Accept,
    budget: Duration.Duration,
    scope: Scope.Scope
  ) {
    let current = prepare(request)
    const first = parseUrl(current)
    if (first === undefined) {
      return yield* new ConfigError({
        source,
        detail: `cannot send the request to ${redactUrl(fullUrl(current))}: not a URL`
      })
    }
    const requestedUrl = redactUrl(first)
    const carriesSecret = secretHeaders.length > 0 && first.origin === origin
    const clock = yield* Clock.Clock
    let deadline: number | undefined
    let target = first
    for (let redirects = 0; ; redirects++) {
      const from = target.href
      const url = redactUrl(target)
      const ticket = yield* gate.admit(target.host, url)
      const started = clock.currentTimeMillisUnsafe()
      // The budget starts once the limiter lets the request go: its waits are ours, not the server's.
      deadline ??= started + Duration.toMillis(budget)
      const controller = new AbortController()
      const watch = new Watchdog(
        { source, url, deadline, budget, responseTimeout, idle: bodyTimeout },
        clock,
        started,
        () => controller.abort()
      )
      yield* watch.start(scope)
      const answer = yield* dispatch(
        dispatcher,
        source,
        current,
        target,
        controller,
        (cause) => watch.expired ?? new Transient({ source, url, reason: "network", detail: describeCause(cause) })
      ).pipe(Effect.onError(() => Effect.sync(() => watch.stop())))
      const { body, headers, status } = answer
      const discard = () => {
        watch.stop()
        if (!body.readableEnded) body.destroy()
      }
      watch.bodyStarted((error) => body.destroy(error))
      yield* Scope.addFinalizer(scope, Effect.sync(discard))
      const observedAt = clock.currentTimeMillisUnsafe()
      const hint = status === 429 ? Option.getOrUndefined(retryAfter(headers, observedAt)) : undefined
      yield* gate.report(ticket, status, hint)
      if (LogLevel.isGreaterThanOrEqualTo("Debug", yield* References.MinimumLogLevel)) {
        yield* Effect.logDebug(`${current.method} ${url} -> ${status} in ${formatDuration(observedAt - started)}`).pipe(
          Effect.annotateLogs({ source })
        )
      }
      const location = isRedirect(status) ? resolveLocation(headers["location"], from) : undefined
      if (location !== undefined) {
        discard()
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
        continue
      }
      const encoding = headers["content-encoding"]
      const guard: BodyGuard = {
        source,
        url,
        encoding,
        decoder: decoderFor(encoding, current.headers["accept-encoding"]),
        watch
      }
      if (!accept(status)) {
        const { bytes } = yield* readAll(guard, body, 64 * 1024, "cut").pipe(
          Effect.catch(() => Effect.succeed({ bytes: new Uint8Array() }))
        )
        discard()
        return yield* statusError({ source, url, status, headers, text: utf8.decode(bytes), now: observedAt, secrets })
      }
      return { status, headers, url: requestedUrl, observedAt: DateTime.makeUnsafe(observedAt), guard, body }
    }
  })

  // Untraced, unlike most of the library: a traced function captures a stack and opens a span per call,
  // which measured as much CPU per request as undici itself. Logs say their source where they are made.
  const fetch = Effect.fnUntraced(
    function* (request: HttpClientRequest.HttpClientRequest, fetchOptions?: { readonly accept?: Accept }) {
      const sent = yield* send(request, fetchOptions?.accept ?? ok, totalTimeout, yield* Scope.Scope)
      const { bytes, sha256 } = yield* readAll(sent.guard, sent.body, maxBodyBytes)
      return {
        status: sent.status,
        headers: sent.headers,
        url: sent.url,
        observedAt: sent.observedAt,
        bytes,
        sha256,
        text: utf8.decode(bytes)
      } satisfies Body
    },
    Effect.scoped,
    Retry.retrying(policy)
  )

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
      body: guardBody(sent.guard, sent.body)
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
