import { createHash } from "node:crypto"
import type { Duplex } from "node:stream"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Effect, Stream } from "effect"
import { DecodeError, type SourceError, Transient } from "../SourceError.ts"
import { describeCause } from "./classify.ts"
import { formatBytes } from "./format.ts"
import type { Incoming } from "./transport.ts"
import type { Watchdog } from "./watchdog.ts"

/** How a response's body is read: from which URL, decoded how, and watched by which {@link Watchdog}. */
export interface BodyGuard {
  readonly source: string
  readonly url: string
  /** The response's `content-encoding`, for messages. */
  readonly encoding: string | undefined
  /** Decodes the body; absent, the bytes are handed over as they came. */
  readonly decoder: (() => Duplex) | undefined
  /** Bounds the wait for each piece and the whole body in time; breaks the body off when one passes. */
  readonly watch: Watchdog
}

/** The connection failed while the body came in. */
const brokeOff = (guard: BodyGuard, cause: unknown): SourceError =>
  guard.watch.expired ??
  new Transient({
    source: guard.source,
    url: guard.url,
    reason: "network",
    detail: `the response broke off: ${describeCause(cause)}`
  })

const undecodable = (guard: BodyGuard, cause: unknown): SourceError =>
  guard.watch.expired ??
  new DecodeError({
    source: guard.source,
    url: guard.url,
    detail: `the ${guard.encoding} body cannot be decompressed: ${describeCause(cause)}`,
    excerpt: ""
  })

/** A response body as a stream of typed failures, decoded, and bounded in time between pieces and in all. */
export const guardBody = (guard: BodyGuard, body: Incoming): Stream.Stream<Uint8Array, SourceError> => {
  const raw = NodeStream.fromReadable<Uint8Array, SourceError>({
    evaluate: () => body.stream(),
    onError: (cause) => brokeOff(guard, cause)
  })
  const decoded =
    guard.decoder === undefined
      ? raw
      : raw.pipe(
          NodeStream.pipeThroughDuplex({ evaluate: guard.decoder, onError: (cause) => undecodable(guard, cause) })
        )
  const { watch } = guard
  // Each pull only notes when its wait starts and ends; the watchdog does the timing.
  return Stream.transformPull(decoded, (pull) =>
    Effect.succeed(
      Effect.suspend(() => {
        watch.waiting()
        return pull.pipe(
          Effect.map((pieces) => {
            watch.arrived()
            return pieces
          }),
          Effect.onError(() => Effect.sync(() => watch.stop()))
        )
      })
    )
  )
}

/** What {@link collect} does with a body larger than its limit. */
export type Overflow = "fail" | "cut"

/** A body read whole. */
export interface Whole {
  readonly bytes: Uint8Array
  readonly sha256: string
}

/**
 * Reads a body whole, decoding it and hashing it as it comes in, and hands `done` the result, once; more
 * than `limit` bytes is a `DecodeError`, or with `"cut"` the end of what is read. Plain callbacks rather
 * than effects: a body comes in many pieces. Whatever ends the read stops the watch and breaks off what
 * is left of the body.
 */
export const collect = (
  guard: BodyGuard,
  body: Incoming,
  limit: number,
  overflow: Overflow,
  done: (result: Whole | SourceError) => void
): void => {
  const { watch } = guard
  const hash = createHash("sha256")
  const chunks: Array<Uint8Array> = []
  let size = 0
  let finished = false
  const decoder = guard.decoder?.()
  const finish = (result: Whole | SourceError) => {
    if (finished) return
    finished = true
    watch.stop()
    if (!body.settled) body.abort(new Error("the body was not read to the end"))
    decoder?.destroy()
    done(result)
  }
  const whole = (): Whole => ({
    bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
    sha256: hash.digest("hex")
  })
  const take = (chunk: Uint8Array) => {
    if (finished) return
    // Flowing: the next wait starts as soon as a piece is taken.
    watch.waiting()
    if (size + chunk.byteLength > limit) {
      return finish(
        overflow === "cut"
          ? whole()
          : new DecodeError({
              source: guard.source,
              url: guard.url,
              detail: `the body is larger than the ${formatBytes(limit)} allowed`,
              excerpt: ""
            })
      )
    }
    size += chunk.byteLength
    hash.update(chunk)
    chunks.push(chunk)
  }
  const failed = (cause: unknown) => finish(brokeOff(guard, cause))
  watch.waiting()
  if (decoder === undefined) {
    body.read({ data: take, end: () => finish(whole()), error: failed })
    return
  }
  decoder.on("data", take)
  decoder.on("end", () => finish(whole()))
  decoder.on("error", (cause) => finish(undecodable(guard, cause)))
  decoder.on("drain", () => body.resume())
  body.read({
    data: (chunk) => {
      if (!decoder.write(chunk)) body.pause()
    },
    end: () => decoder.end(),
    error: failed
  })
}
