import { createHash } from "node:crypto"
import type { Duplex } from "node:stream"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Clock, Duration, Effect, Stream } from "effect"
import type { HttpClientError } from "effect/http"
import { DecodeError, type SourceError, Transient } from "../SourceError.ts"
import { describeCause, transportError } from "./classify.ts"
import { formatBytes, formatDuration } from "./format.ts"

/** How a response's body is read: from which URL, decoded how, and within which times. */
export interface BodyGuard {
  readonly source: string
  readonly url: string
  /** The response's `content-encoding`, for messages. */
  readonly encoding: string | undefined
  /** Decodes the body; absent, the bytes are handed over as they came. */
  readonly decoder: (() => Duplex) | undefined
  /** Longest silence between two pieces of the body. */
  readonly idle: Duration.Duration
  /** When (epoch ms, on the effect `Clock`) the whole body must be in, whatever its pace. */
  readonly deadline: number
  /** The budget the deadline stands for, for messages. */
  readonly budget: Duration.Duration
}

/** The request's overall budget ran out: a body trickling in a byte at a time ends here. */
export const overBudget = (source: string, url: string, budget: Duration.Duration): Transient =>
  new Transient({
    source,
    url,
    reason: "timeout",
    detail: `the request took longer than ${formatDuration(budget)} in all`
  })

/** A response body as a stream of typed failures, decoded, and bounded in time between pieces and in all. */
export const guardBody = (
  guard: BodyGuard,
  body: Stream.Stream<Uint8Array, HttpClientError.HttpClientError>
): Stream.Stream<Uint8Array, SourceError> => {
  const { source, url } = guard
  const raw = body.pipe(Stream.mapError((error) => transportError(source, url, error)))
  const decoded =
    guard.decoder === undefined
      ? raw
      : raw.pipe(
          NodeStream.pipeThroughDuplex({
            evaluate: guard.decoder,
            onError: (cause) =>
              new DecodeError({
                source,
                url,
                detail: `the ${guard.encoding} body cannot be decompressed: ${describeCause(cause)}`,
                excerpt: ""
              })
          })
        )
  const deadline = Clock.currentTimeMillis.pipe(
    Effect.flatMap((now) => Effect.sleep(Duration.millis(Math.max(0, guard.deadline - now)))),
    // Built only when the deadline passes: an error is costly to make (its stack), and most bodies end first.
    Effect.andThen(Effect.failSync(() => overBudget(source, url, guard.budget)))
  )
  return decoded.pipe(
    Stream.timeoutOrElse({
      duration: guard.idle,
      orElse: () =>
        Stream.fail(
          new Transient({
            source,
            url,
            reason: "timeout",
            detail: `the body stalled for ${formatDuration(guard.idle)}`
          })
        )
    }),
    Stream.interruptWhen(deadline)
  )
}

/** Reads a body whole, hashing it as it streams in; more than `limit` bytes is a `DecodeError`. */
export const readAll = (
  source: string,
  url: string,
  body: Stream.Stream<Uint8Array, SourceError>,
  limit: number
): Effect.Effect<{ readonly bytes: Uint8Array; readonly sha256: string }, SourceError> =>
  Effect.suspend(() => {
    const hash = createHash("sha256")
    const chunks: Array<Uint8Array> = []
    let size = 0
    return body.pipe(
      Stream.runForEach((chunk) => {
        size += chunk.byteLength
        if (size > limit) {
          return Effect.fail(
            new DecodeError({
              source,
              url,
              detail: `the body is larger than the ${formatBytes(limit)} allowed`,
              excerpt: ""
            })
          )
        }
        hash.update(chunk)
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.map(() => ({ bytes: Buffer.concat(chunks, size), sha256: hash.digest("hex") }))
    )
  })
