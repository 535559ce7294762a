// A request on the wire, through undici's dispatcher directly, with a handler of our own. Effect's
// HttpClient would wrap each request in a second URL parse, abort controller and response object, and
// each body in a stream the client then guards again; undici's `request` adds an async resource, an abort
// listener and a stream per response. A body read whole needs none of them: its pieces are collected as
// undici hands them over, and only a body handed to a caller unread becomes a stream.
import { Readable } from "node:stream"
import type * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect } from "effect"
import { Headers, type HttpClientRequest } from "effect/http"
import { ConfigError, type SourceError } from "../SourceError.ts"
import type { Watchdog } from "./watchdog.ts"

/** The undici dispatcher the client sends through. */
export type Dispatcher = NodeHttpClient.Dispatcher["Service"]

type Controller = Parameters<NonNullable<Parameters<Dispatcher["dispatch"]>[1]["onResponseStart"]>>[0]

/** Where the pieces of a body go, once somebody reads it. */
export interface Sink {
  readonly data: (chunk: Uint8Array) => void
  readonly end: () => void
  readonly error: (cause: unknown) => void
}

/** How much of a body waits for its reader before undici stops reading it, as a stream's high-water mark. */
const highWaterMark = 64 * 1024

/**
 * A response's body as undici hands it over. Pieces that come before anybody reads it wait in a queue
 * (undici stops reading once that holds {@link highWaterMark} bytes); `abort` breaks the response off
 * (its connection is closed) unless it already ended.
 */
export class Incoming {
  private sink: Sink | undefined
  private queued: Array<Uint8Array> = []
  private queuedBytes = 0
  /** Whether undici was stopped because nobody read, rather than by the reader. */
  private held = false
  private readerPaused = false
  private outcome: { readonly cause: unknown } | "end" | undefined
  private readonly controller: Controller

  constructor(controller: Controller) {
    this.controller = controller
  }

  /** Whether the whole body came (or the response failed): aborting it now changes nothing. */
  get settled(): boolean {
    return this.outcome !== undefined
  }

  abort(reason: Error): void {
    this.controller.abort(reason)
  }

  pause(): void {
    this.readerPaused = true
    this.controller.pause()
  }

  resume(): void {
    this.readerPaused = false
    this.controller.resume()
  }

  /** Hands the body to `sink`, what came already first. Once only. */
  read(sink: Sink): void {
    for (const chunk of this.queued) sink.data(chunk)
    this.queued = []
    this.sink = sink
    if (this.outcome === "end") sink.end()
    else if (this.outcome !== undefined) sink.error(this.outcome.cause)
    else if (this.held && !this.readerPaused) this.controller.resume()
    this.held = false
  }

  /** The body as a stream, read at the reader's pace; destroying it breaks the response off. */
  stream(): Readable {
    const readable = new Readable({
      read: () => this.resume(),
      destroy: (error, callback) => {
        if (!this.settled) this.abort(error ?? new Error("the body was not read to the end"))
        callback(error)
      }
    })
    this.read({
      data: (chunk) => {
        if (!readable.push(chunk)) this.pause()
      },
      end: () => readable.push(null),
      error: (cause) => readable.destroy(cause instanceof Error ? cause : new Error(String(cause)))
    })
    return readable
  }

  /** @internal undici's side. */
  push(chunk: Uint8Array): void {
    if (this.sink !== undefined) this.sink.data(chunk)
    else {
      this.queued.push(chunk)
      this.queuedBytes += chunk.byteLength
      if (this.queuedBytes >= highWaterMark && !this.held) {
        this.held = true
        this.controller.pause()
      }
    }
  }

  /** @internal undici's side. */
  settle(outcome: { readonly cause: unknown } | "end"): void {
    if (this.outcome !== undefined) return
    this.outcome = outcome
    if (this.sink === undefined) return
    if (outcome === "end") this.sink.end()
    else this.sink.error(outcome.cause)
  }
}

/** A response whose headers are in; its body is still to be read (or aborted). */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Incoming
}

/** The request's body as undici takes it; a streamed or multipart body is not something a source sends. */
const bodyOf = (source: string, request: HttpClientRequest.HttpClientRequest) => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return body.body as string | Uint8Array
    default:
      return new ConfigError({
        source,
        detail: `a request body of kind ${body._tag} cannot be sent; send bytes (HttpClientRequest.bodyJson, bodyText, …)`
      })
  }
}

/** One exchange with undici: what it is told, and what it tells. */
class Exchange {
  private controller: Controller | undefined
  private incoming: Incoming | undefined
  /** Why the exchange was broken off before undici started it, if it was. */
  private reason: Error | undefined
  private readonly onAnswer: (answer: Answer) => void
  private readonly onFailure: (cause: unknown) => void

  constructor(onAnswer: (answer: Answer) => void, onFailure: (cause: unknown) => void) {
    this.onAnswer = onAnswer
    this.onFailure = onFailure
  }

  abort(reason: Error): void {
    if (this.controller === undefined) this.reason = reason
    else if (this.incoming === undefined || !this.incoming.settled) this.controller.abort(reason)
  }

  onRequestStart(controller: Controller): void {
    if (this.reason !== undefined) controller.abort(this.reason)
    else this.controller = controller
  }

  onResponseStart(controller: Controller, status: number, headers: Record<string, string | Array<string>>): void {
    // Informational answers (`100 Continue`) come before the real one.
    if (status < 200) return
    this.incoming = new Incoming(controller)
    this.onAnswer({ status, headers: Headers.fromInput(headers), body: this.incoming })
  }

  onResponseData(_: Controller, chunk: Uint8Array): void {
    this.incoming?.push(chunk)
  }

  onResponseEnd(): void {
    // The pool takes the connection back on the turn of the event loop that undici schedules once this
    // returns: a request sent before that turn would open another connection.
    queueMicrotask(() => setImmediate(() => this.incoming?.settle("end")))
  }

  onResponseError(_: Controller | null, cause: unknown): void {
    if (this.incoming === undefined) this.onFailure(cause)
    else this.incoming.settle({ cause })
  }
}

/**
 * Sends `request` to `target`, watched by `watch` from the moment it goes out. Once its headers are in,
 * `respond` decides what the exchange comes to: at once, or once it has read the body. `failed` turns what
 * undici fails with before the headers into the error to report. Interrupted, the exchange is broken off.
 */
export const dispatch = <A>(
  dispatcher: Dispatcher,
  source: string,
  request: HttpClientRequest.HttpClientRequest,
  target: URL,
  watch: Watchdog,
  failed: (cause: unknown) => SourceError,
  respond: (answer: Answer, done: (result: Effect.Effect<A, SourceError>) => void) => void
): Effect.Effect<A, SourceError> => {
  const body = bodyOf(source, request)
  if (body instanceof ConfigError) return Effect.fail(body)
  // One parameter: `Effect.callback` makes an AbortSignal for a register function that takes two.
  return Effect.callback<A, SourceError>((resume) => {
    const exchange = new Exchange(
      (answer) => {
        watch.bodyStarted()
        respond(answer, resume)
      },
      (cause) => {
        watch.stop()
        resume(Effect.fail(failed(cause)))
      }
    )
    watch.start((error) => exchange.abort(error))
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.pathname + target.search,
        method: request.method as "GET",
        headers: request.headers,
        body,
        // The client bounds every wait itself, on the effect clock.
        headersTimeout: 0,
        bodyTimeout: 0
      },
      exchange
    )
    return Effect.sync(() => {
      watch.stop()
      exchange.abort(new Error("interrupted"))
    })
  })
}
