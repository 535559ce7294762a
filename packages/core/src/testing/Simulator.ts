/**
 * A real HTTP server on 127.0.0.1 for API simulators, with fault injection and a request log.
 *
 * A connector's simulator is a {@link Handler} (its routes, in the API's real shapes) served by
 * {@link serve}. Tests, the demo and benchmarks then inject faults (statuses with headers, a connection
 * reset mid-body, a truncated body, a slow or stalled body, a malformed body) and hostile answers (a
 * redirect to another origin, a trickle, an endless body, a gzip bomb, broken ranges, deep nesting,
 * invalid UTF-8), and read what the server saw.
 *
 * @since 0.1.0
 */
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { Effect, type Scope } from "effect"
import { deliver, replacement } from "./internal/delivery.ts"

/**
 * A request as a handler sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimRequest {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The request body as text (APIs here send small JSON bodies). */
  readonly body: string
}

/**
 * A body: whole, or produced piece by piece for files too large to hold.
 *
 * @since 0.1.0
 * @category models
 */
export type SimBody = string | Uint8Array | AsyncIterable<Uint8Array>

/**
 * What a handler answers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: SimBody
}

/**
 * The routes of a simulator.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: SimRequest) => Reply | Promise<Reply>

/**
 * What can go wrong on purpose.
 *
 * - `Status`: answer with this status (and headers, body) instead of the handler, e.g. 503 or 429 with
 *   `Retry-After`.
 * - `ResetMidBody`: send the headers and half the body, then reset the connection.
 * - `TruncateBody`: announce the full length, send half, then close.
 * - `SlowBody`: send the body in small pieces with a pause between them.
 * - `Stall`: send the headers and a first piece, then nothing until the client goes away.
 * - `Malformed`: replace the body with text that is not what the API sends.
 *
 * Hostile answers, for the conformance kit's hostile cases:
 *
 * - `Redirect`: answer with this redirect status and `Location` (another origin's, say) instead of the
 *   handler.
 * - `Trickle`: send the body a byte at a time, pausing `pauseMillis` after each.
 * - `StallBeforeHeaders`: never answer, not even the headers, until the client goes away.
 * - `EndlessBody`: send the headers without a length, then the body over and over until the client goes
 *   away.
 * - `GzipBomb`: replace the body with 4 MB declared `content-encoding: gzip` that inflates to 4 GiB.
 * - `RangeNotSatisfiable`: answer `416` with a `Content-Range` that gives no range, only a total length
 *   (`total`, default 999), instead of the handler, whatever was asked.
 * - `WrongRange`: answer `206` with the handler's body and a `Content-Range` one byte past the start
 *   asked for.
 * - `DeepNesting`: replace the body with a JSON array nested `depth` deep (default 100,000).
 * - `InvalidUtf8`: put bytes that are not UTF-8 before and in the middle of the body.
 *
 * A huge `Retry-After` is a `Status` 429 with that header.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | {
      readonly _tag: "Status"
      readonly status: number
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: string
    }
  | { readonly _tag: "ResetMidBody" }
  | { readonly _tag: "TruncateBody" }
  | { readonly _tag: "SlowBody"; readonly pauseMillis: number }
  | { readonly _tag: "Stall" }
  | { readonly _tag: "Malformed" }
  | { readonly _tag: "Redirect"; readonly status: 301 | 302 | 303 | 307 | 308; readonly location: string }
  | { readonly _tag: "Trickle"; readonly pauseMillis: number }
  | { readonly _tag: "StallBeforeHeaders" }
  | { readonly _tag: "EndlessBody" }
  | { readonly _tag: "GzipBomb" }
  | { readonly _tag: "RangeNotSatisfiable"; readonly total?: number }
  | { readonly _tag: "WrongRange" }
  | { readonly _tag: "DeepNesting"; readonly depth?: number }
  | { readonly _tag: "InvalidUtf8" }

/**
 * One request as the server saw it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoggedRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The request body as text. */
  readonly body: string
  readonly status: number
  /** The fault applied, if any. */
  readonly fault: Fault["_tag"] | undefined
  /** Whether the client went away before the response was complete. */
  aborted: boolean
  /** Bytes of response body written so far. */
  bytesSent: number
}

/**
 * A running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Simulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Applies `fault` to the next `times` requests (default 1) that `match` accepts (default: all). */
  readonly inject: (
    fault: Fault,
    options?: { readonly times?: number; readonly match?: (request: SimRequest) => boolean }
  ) => void
  /** Removes faults not yet applied. */
  readonly clearFaults: () => void
  /** Every request so far, oldest first. */
  readonly requests: ReadonlyArray<LoggedRequest>
  /** Sockets open right now. */
  readonly openConnections: () => number
  /** Responses started and not yet finished or aborted. */
  readonly inFlight: () => number
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const parts: Array<Buffer> = []
    request.on("data", (part: Buffer) => parts.push(part))
    request.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    request.on("error", reject)
  })

/**
 * Serves `handler` on 127.0.0.1 (port 0: any free port, unless given) until the scope closes, when every
 * connection is closed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (
  handler: Handler,
  options?: { readonly port?: number }
): Effect.Effect<Simulator, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const sockets = new Set<Socket>()
      const requests: Array<LoggedRequest> = []
      let faults: Array<{ fault: Fault; times: number; match: (request: SimRequest) => boolean }> = []
      let inFlight = 0

      const takeFault = (request: SimRequest): Fault | undefined => {
        const rule = faults.find((r) => r.times > 0 && r.match(request))
        if (rule === undefined) return undefined
        rule.times--
        faults = faults.filter((r) => r.times > 0)
        return rule.fault
      }

      const server = createServer(async (incoming, response) => {
        inFlight++
        let done = false
        const settle = () => {
          if (done) return
          done = true
          inFlight--
        }
        response.on("finish", settle)
        response.on("close", settle)
        const url = new URL(incoming.url ?? "/", "http://127.0.0.1")
        const request: SimRequest = {
          method: incoming.method ?? "GET",
          url,
          path: url.pathname,
          headers: incoming.headers as Record<string, string | undefined>,
          body: await readBody(incoming)
        }
        const fault = takeFault(request)
        const reply: Reply =
          replacement(fault) ??
          (await Promise.resolve(handler(request)).catch((error: unknown) => ({
            status: 500,
            headers: { "content-type": "text/plain" },
            body: `simulator error: ${error instanceof Error ? error.message : String(error)}`
          })))
        const entry: LoggedRequest = {
          method: request.method,
          path: request.path,
          query: url.search,
          headers: request.headers,
          body: request.body,
          status: reply.status,
          fault: fault?._tag,
          aborted: false,
          bytesSent: 0
        }
        requests.push(entry)
        response.on("close", () => {
          if (!response.writableFinished) entry.aborted = true
        })
        await deliver(response, request, reply, fault, (bytes) => {
          entry.bytesSent += bytes
        }).catch(() => response.destroy())
      })
      server.keepAliveTimeout = 5000
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      return new Promise<{ server: typeof server; simulator: Simulator; sockets: Set<Socket> }>((resolve) => {
        server.listen(options?.port ?? 0, "127.0.0.1", () => {
          const { port } = server.address() as AddressInfo
          resolve({
            server,
            sockets,
            simulator: {
              url: `http://127.0.0.1:${port}`,
              inject: (fault, injectOptions) =>
                void faults.push({
                  fault,
                  times: injectOptions?.times ?? 1,
                  match: injectOptions?.match ?? (() => true)
                }),
              clearFaults: () => void (faults = []),
              requests,
              openConnections: () => sockets.size,
              inFlight: () => inFlight
            }
          })
        })
      })
    }),
    ({ server, sockets }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => resolve())
          })
      )
  ).pipe(Effect.map(({ simulator }) => simulator))
