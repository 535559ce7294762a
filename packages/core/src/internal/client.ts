import { Clock, DateTime, Duration, Effect, Exit, Option, Redacted, type Schema, Scope, Stream } from "effect"
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import type { Provenance } from "../Feed.ts"
import type { Accept, Body, Client, ClientOptions, Opened, OpenOptions, Services } from "../Http.ts"
import * as RateLimit from "../RateLimit.ts"
import { excerpt, redactUrl, scrub } from "../Redaction.ts"
import * as Retry from "../Retry.ts"
import { ConfigError, DecodeError, RequestRejected, Transient } from "../SourceError.ts"
import { guardBody, overBudget, readAll } from "./body.ts"
import { retryAfter, statusError, transportError } from "./classify.ts"
import { decoderFor, defaultAcceptEncoding } from "./contentEncoding.ts"
import { formatDuration } from "./format.ts"
import * as Gate from "./gate.ts"
import { decodeJsonText } from "./jsonText.ts"
import { isRedirect, redirectRequest } from "./redirect.ts"
import { fullUrl, hostOf, isAbsolute, joinUrl, originOf, resolveLocation } from "./url.ts"

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
  const http = HttpClient.withScope(yield* HttpClient.HttpClient)

  const prepare = (request: HttpClientRequest.HttpClientRequest) => {
    const url = joinUrl(options.baseUrl, request.url)
    let out = request.pipe(
      HttpClientRequest.setUrl(url),
      HttpClientRequest.setHeader("user-agent", options.userAgent ?? `electfeed (${options.connector})`)
    )
    if (request.headers["accept-encoding"] === undefined) {
      out = HttpClientRequest.setHeader(out, "accept-encoding", defaultAcceptEncoding)
    }
    for (const [name, value] of plainHeaders) out = HttpClientRequest.setHeader(out, name, value)
    // A secret goes to the origin it was configured for, and nowhere else: not to a file host, not
    // after a redirect.
    if (originOf(url) === origin) {
      for (const [name, value] of secretHeaders) out = HttpClientRequest.setHeader(out, name, Redacted.value(value))
    }
    return out
  }

  /**
   * Sends one request and waits for its headers, within the response timeout and what is left of the
   * request's budget. The response lives in a scope of its own, which `release` closes (aborting a body
   * nobody will read).
   */
  const exchange = Effect.fnUntraced(function* (
    request: HttpClientRequest.HttpClientRequest,
    url: string,
    ticket: Gate.Ticket,
    deadline: number,
    budget: Duration.Duration
  ) {
    const scope = yield* Scope.fork(yield* Scope.Scope)
    const release = Scope.close(scope, Exit.void)
    const started = yield* DateTime.now
    const left = Duration.millis(Math.max(0, deadline - DateTime.toEpochMillis(started)))
    const budgetFirst = Duration.isLessThan(left, responseTimeout)
    const response: HttpClientResponse.HttpClientResponse = yield* http.execute(request).pipe(
      // Spans would carry the full URL, signature included, to whatever tracer an app installs.
      Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
      Effect.provideService(HttpClient.TracerPropagationEnabled, false),
      Scope.provide(scope),
      Effect.mapError((error) => transportError(source, url, error)),
      Effect.timeoutOrElse({
        duration: budgetFirst ? left : responseTimeout,
        orElse: () =>
          Effect.fail(
            budgetFirst
              ? overBudget(source, url, budget)
              : new Transient({
                  source,
                  url,
                  reason: "timeout",
                  detail: `no response within ${formatDuration(responseTimeout)}`
                })
          )
      }),
      Effect.onError(() => release)
    )
    const observedAt = yield* DateTime.now
    const hint =
      response.status === 429
        ? Option.getOrUndefined(retryAfter(response.headers, DateTime.toEpochMillis(observedAt)))
        : undefined
    yield* gate.report(ticket, response.status, hint)
    yield* Effect.logDebug(
      `${request.method} ${url} -> ${response.status} in ${formatDuration(DateTime.distance(started, observedAt))}`
    )
    return { response, observedAt, release }
  })

  /**
   * Sends a request, following redirects (a few, and never one that would take a secret to another
   * origin), and returns the final response once the caller accepts its status.
   */
  const send = Effect.fnUntraced(function* (
    request: HttpClientRequest.HttpClientRequest,
    accept: Accept,
    budget: Duration.Duration
  ) {
    let current = prepare(request)
    const requestedUrl = redactUrl(fullUrl(current))
    const carriesSecret = secretHeaders.length > 0 && originOf(current.url) === origin
    let deadline: number | undefined
    for (let redirects = 0; ; redirects++) {
      const from = fullUrl(current)
      const url = redactUrl(from)
      const ticket = yield* gate.admit(hostOf(current.url), url)
      // The budget starts once the limiter lets the request go: its waits are ours, not the server's.
      deadline ??= (yield* Clock.currentTimeMillis) + Duration.toMillis(budget)
      const { response, observedAt, release } = yield* exchange(current, url, ticket, deadline, budget)
      const target = isRedirect(response.status) ? resolveLocation(response.headers["location"], from) : undefined
      if (target !== undefined) {
        yield* release
        const status = response.status
        if (carriesSecret && target.origin !== origin) {
          return yield* new RequestRejected({
            source,
            url,
            status,
            excerpt: scrub(
              `redirected to ${redactUrl(target)}, another origin: not followed, so that the credentials ` +
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
            excerpt: scrub(`more than ${maxRedirects} redirects in a row, the last to ${redactUrl(target)}`, secrets)
          })
        }
        current = redirectRequest(current, status, from, target)
        continue
      }
      const encoding = response.headers["content-encoding"]
      const body = guardBody(
        {
          source,
          url,
          encoding,
          decoder: decoderFor(encoding, current.headers["accept-encoding"]),
          idle: bodyTimeout,
          deadline,
          budget
        },
        response.stream
      )
      if (!accept(response.status)) {
        const { bytes } = yield* readAll(source, url, Stream.take(body, 16), 64 * 1024).pipe(
          Effect.catch(() => Effect.succeed({ bytes: new Uint8Array() }))
        )
        yield* release
        return yield* statusError({
          source,
          url,
          status: response.status,
          headers: response.headers,
          text: utf8.decode(bytes),
          now: DateTime.toEpochMillis(observedAt),
          secrets
        })
      }
      return {
        status: response.status,
        headers: response.headers,
        url: requestedUrl,
        observedAt,
        body
      } satisfies Opened
    }
  })

  const fetch = Effect.fn("Http.fetch")(
    function* (request: HttpClientRequest.HttpClientRequest, fetchOptions?: { readonly accept?: Accept }) {
      const opened = yield* send(request, fetchOptions?.accept ?? ok, totalTimeout)
      const { bytes, sha256 } = yield* readAll(source, opened.url, opened.body, maxBodyBytes)
      return {
        status: opened.status,
        headers: opened.headers,
        url: opened.url,
        observedAt: opened.observedAt,
        bytes,
        sha256,
        text: utf8.decode(bytes)
      } satisfies Body
    },
    Effect.scoped,
    Retry.retrying(policy),
    Effect.annotateLogs({ source })
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

  const json = Effect.fn("Http.json")(function* <S extends Schema.Top>(
    request: HttpClientRequest.HttpClientRequest,
    schema: S
  ) {
    const body = yield* fetch(request)
    const value = yield* decodeJsonText(schema, body.text, (detail, offset, path) =>
      decodeError({ url: body.url, detail, input: body.text, offset, path })
    )
    return { value, body }
  })

  const open = Effect.fn("Http.open")(
    function* (request: HttpClientRequest.HttpClientRequest, openOptions?: OpenOptions) {
      const budget =
        openOptions?.totalTimeout === undefined ? totalTimeout : Duration.fromInputUnsafe(openOptions.totalTimeout)
      return yield* send(request, openOptions?.accept ?? ok, budget)
    },
    Retry.retrying(policy),
    Effect.annotateLogs({ source })
  )

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
