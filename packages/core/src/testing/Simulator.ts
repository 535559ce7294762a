/**
 * A real HTTP server on 127.0.0.1 for API simulators, with fault injection and a request log.
 *
 * A connector's simulator is a {@link Handler} (its routes, in the API's real shapes) served by
 * {@link serve}. Tests, the demo and benchmarks then inject faults (statuses with headers, a connection
 * reset mid-body, a truncated body, a slow or stalled body, a malformed body) and read what the server
 * saw.
 *
 * @since 0.1.0
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { Effect, type Scope } from "effect"

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
  readonly status: number
  /** The fault applied, if any. */
  readonly fault: Fault["_tag"] | undefined
  /** Whether the client went away before the response was complete. */
  aborted: boolean
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

const malformedBody = "<html><body>Service temporarily replaced by a body no client expects"

const toBuffer = (body: string | Uint8Array) => (typeof body === "string" ? Buffer.from(body) : Buffer.from(body))

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

const collect = async (body: SimBody | undefined): Promise<Buffer> => {
  if (body === undefined) return Buffer.alloc(0)
  if (typeof body === "string" || body instanceof Uint8Array) return toBuffer(body)
  const parts: Array<Uint8Array> = []
  for await (const part of body) parts.push(part)
  return Buffer.concat(parts)
}

const write = (response: ServerResponse, chunk: Uint8Array) =>
  new Promise<void>((resolve, reject) => {
    if (response.destroyed) return reject(new Error("client went away"))
    if (response.write(chunk)) return resolve()
    const onDrain = () => {
      response.off("close", onClose)
      resolve()
    }
    const onClose = () => {
      response.off("drain", onDrain)
      reject(new Error("client went away"))
    }
    response.once("drain", onDrain)
    response.once("close", onClose)
  })

const stream = async (response: ServerResponse, body: SimBody | undefined) => {
  if (body === undefined) return response.end()
  if (typeof body === "string" || body instanceof Uint8Array) return response.end(toBuffer(body))
  for await (const part of body) await write(response, part)
  response.end()
}

const deliver = async (response: ServerResponse, reply: Reply, fault: Fault | undefined) => {
  const headers = { ...reply.headers }
  switch (fault?._tag) {
    case undefined:
      response.writeHead(reply.status, headers)
      return stream(response, reply.body)
    case "Malformed": {
      const body = Buffer.from(malformedBody)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength) })
      return response.end(body)
    }
    case "ResetMidBody":
    case "TruncateBody": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength) })
      response.write(body.subarray(0, Math.floor(body.byteLength / 2)))
      await sleep(10)
      if (fault._tag === "ResetMidBody") response.socket?.resetAndDestroy()
      else response.socket?.destroySoon()
      return
    }
    case "SlowBody": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength) })
      const piece = Math.max(1, Math.ceil(body.byteLength / 8))
      for (let at = 0; at < body.byteLength; at += piece) {
        await write(response, body.subarray(at, at + piece))
        await sleep(fault.pauseMillis)
      }
      return response.end()
    }
    case "Stall": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength + 1) })
      response.write(body.subarray(0, Math.min(body.byteLength, 16)))
      return new Promise<void>((resolve) => response.once("close", () => resolve()))
    }
    case "Status":
      return
  }
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
          fault?._tag === "Status"
            ? { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? "" }
            : await Promise.resolve(handler(request)).catch((error: unknown) => ({
                status: 500,
                headers: { "content-type": "text/plain" },
                body: `simulator error: ${error instanceof Error ? error.message : String(error)}`
              }))
        const entry: LoggedRequest = {
          method: request.method,
          path: request.path,
          query: url.search,
          headers: request.headers,
          status: reply.status,
          fault: fault?._tag,
          aborted: false
        }
        requests.push(entry)
        response.on("close", () => {
          if (!response.writableFinished) entry.aborted = true
        })
        if (fault?._tag === "Status") {
          response.writeHead(reply.status, reply.headers)
          response.end(reply.body)
          return
        }
        await deliver(response, reply, fault).catch(() => response.destroy())
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
