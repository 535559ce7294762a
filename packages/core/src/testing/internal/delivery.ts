import type { ServerResponse } from "node:http"
import type { Fault, Reply, SimBody, SimRequest } from "../Simulator.ts"
import { deeplyNested, gzipBomb, invalidUtf8 } from "./hostileBodies.ts"

const malformedBody = "<html><body>Service temporarily replaced by a body no client expects"

const endlessPiece = 64 * 1024

const toBuffer = (body: string | Uint8Array) => (typeof body === "string" ? Buffer.from(body) : Buffer.from(body))

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

const collect = async (body: SimBody | undefined): Promise<Buffer> => {
  if (body === undefined) return Buffer.alloc(0)
  if (typeof body === "string" || body instanceof Uint8Array) return toBuffer(body)
  const parts: Array<Uint8Array> = []
  for await (const part of body) parts.push(part)
  return Buffer.concat(parts)
}

/** The replies that stand in for the handler's: it is not asked. */
export const replacement = (fault: Fault | undefined): Reply | undefined => {
  switch (fault?._tag) {
    case "Status":
      return { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? "" }
    case "Redirect":
      return { status: fault.status, headers: { location: fault.location }, body: "" }
    case "RangeNotSatisfiable":
      return { status: 416, headers: { "content-range": `bytes */${fault.total ?? 999}` }, body: "" }
    default:
      return undefined
  }
}

/**
 * Writes `reply` to `response` as `fault` says, telling `sent` of every piece of body written. Resolves
 * when the response is over; rejects when the client went away.
 */
export const deliver = async (
  response: ServerResponse,
  request: SimRequest,
  reply: Reply,
  fault: Fault | undefined,
  sent: (bytes: number) => void
): Promise<void> => {
  const headers = { ...reply.headers }
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (response.destroyed) return reject(new Error("client went away"))
      sent(chunk.byteLength)
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
  const whole = (status: number, body: Buffer, extra?: Readonly<Record<string, string>>) => {
    response.writeHead(status, { ...headers, ...extra, "content-length": String(body.byteLength) })
    sent(body.byteLength)
    response.end(body)
  }
  const untilClosed = () => new Promise<void>((resolve) => response.once("close", () => resolve()))

  switch (fault?._tag) {
    case undefined:
    case "Status":
    case "Redirect":
    case "RangeNotSatisfiable": {
      response.writeHead(reply.status, headers)
      const body = reply.body
      if (body === undefined) return void response.end()
      if (typeof body === "string" || body instanceof Uint8Array) {
        const bytes = toBuffer(body)
        sent(bytes.byteLength)
        return void response.end(bytes)
      }
      for await (const part of body) await write(part)
      return void response.end()
    }
    case "Malformed":
      return whole(reply.status, Buffer.from(malformedBody))
    case "GzipBomb":
      return whole(reply.status, gzipBomb(), { "content-encoding": "gzip" })
    case "DeepNesting":
      return whole(reply.status, deeplyNested(fault.depth ?? 100_000))
    case "InvalidUtf8":
      return whole(reply.status, invalidUtf8(await collect(reply.body)))
    case "WrongRange": {
      const body = await collect(reply.body)
      const start = Number(/^bytes=(\d+)-/.exec(request.headers["range"] ?? "")?.[1] ?? 0) + 1
      return whole(206, body, {
        "content-range": `bytes ${start}-${start + body.byteLength - 1}/${start + body.byteLength}`
      })
    }
    case "ResetMidBody":
    case "TruncateBody": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength) })
      await write(body.subarray(0, Math.floor(body.byteLength / 2)))
      await sleep(10)
      if (fault._tag === "ResetMidBody") response.socket?.resetAndDestroy()
      else response.socket?.destroySoon()
      return
    }
    case "SlowBody":
    case "Trickle": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength) })
      const piece = fault._tag === "Trickle" ? 1 : Math.max(1, Math.ceil(body.byteLength / 8))
      for (let at = 0; at < body.byteLength; at += piece) {
        await write(body.subarray(at, at + piece))
        await sleep(fault.pauseMillis)
      }
      return void response.end()
    }
    case "Stall": {
      const body = await collect(reply.body)
      response.writeHead(reply.status, { ...headers, "content-length": String(body.byteLength + 1) })
      await write(body.subarray(0, Math.min(body.byteLength, 16)))
      return untilClosed()
    }
    case "StallBeforeHeaders":
      return untilClosed()
    case "EndlessBody": {
      const sample = await collect(reply.body)
      const unit = sample.byteLength === 0 ? Buffer.from("x") : sample
      const piece = Buffer.alloc(endlessPiece)
      for (let at = 0; at < endlessPiece; at += unit.byteLength) unit.copy(piece, at)
      const { "content-length": _, ...open } = headers
      response.writeHead(reply.status, open)
      for (;;) await write(piece)
    }
  }
}
