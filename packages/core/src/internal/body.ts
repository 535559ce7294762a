import { createHash } from "node:crypto"
import type { Duplex, Readable } from "node:stream"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Effect, Stream } from "effect"
import { DecodeError, type SourceError, Transient } from "../SourceError.ts"
import { describeCause } from "./classify.ts"
import { formatBytes } from "./format.ts"
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
export const guardBody = (guard: BodyGuard, body: Readable): Stream.Stream<Uint8Array, SourceError> => {
  const raw = NodeStream.fromReadable<Uint8Array, SourceError>({
    evaluate: () => body,
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

/** What {@link readAll} does with a body larger than its limit. */
export type Overflow = "fail" | "cut"

/**
 * Reads a body whole, decoding it and hashing it as it streams in; more than `limit` bytes is a
 * `DecodeError`, or with `"cut"` the end of what is read. Interrupted, it breaks the body off.
 */
export const readAll = (
  guard: BodyGuard,
  body: Readable,
  limit: number,
  overflow: Overflow = "fail"
): Effect.Effect<{ readonly bytes: Uint8Array; readonly sha256: string }, SourceError> =>
  Effect.callback((resume) => {
    const { watch } = guard
    const hash = createHash("sha256")
    const chunks: Array<Uint8Array> = []
    let size = 0
    let done = false
    const decoder = guard.decoder?.()
    const out: Readable = decoder === undefined ? body : body.pipe(decoder)
    const stop = () => {
      done = true
      watch.stop()
      if (!body.readableEnded) body.destroy()
      decoder?.destroy()
    }
    const finish = (effect: Effect.Effect<{ readonly bytes: Uint8Array; readonly sha256: string }, SourceError>) => {
      if (done) return
      stop()
      resume(effect)
    }
    const whole = () =>
      Effect.succeed({
        bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        sha256: hash.digest("hex")
      })
    body.on("error", (cause) => finish(Effect.fail(brokeOff(guard, cause))))
    decoder?.on("error", (cause) => finish(Effect.fail(undecodable(guard, cause))))
    out.on("data", (chunk: Uint8Array) => {
      if (done) return
      // Flowing: the next wait starts as soon as a piece is taken.
      watch.waiting()
      if (size + chunk.byteLength > limit) {
        if (overflow === "cut") return finish(whole())
        return finish(
          Effect.fail(
            new DecodeError({
              source: guard.source,
              url: guard.url,
              detail: `the body is larger than the ${formatBytes(limit)} allowed`,
              excerpt: ""
            })
          )
        )
      }
      size += chunk.byteLength
      hash.update(chunk)
      chunks.push(chunk)
    })
    // undici hands the connection back to its pool just after the body ends: a request sent at once
    // would open another connection.
    out.on("end", () => setImmediate(() => finish(whole())))
    watch.waiting()
    return Effect.sync(stop)
  })
