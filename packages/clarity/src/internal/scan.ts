/**
 * A byte stream through a push scanner: each piece is fed in order, and what it completes is emitted.
 */
import type { SourceError } from "@electfeed/core"
import { Effect, Stream } from "effect"

/** Told each piece of a body, then its end; each may complete values (into `out`) or fail. */
export interface Scanner<A> {
  readonly feed: (bytes: Uint8Array, out: Array<A>) => SourceError.DecodeError | undefined
  readonly end: (out: Array<A>) => SourceError.DecodeError | undefined
}

const run = <A>(step: (out: Array<A>) => SourceError.DecodeError | undefined) => {
  const out: Array<A> = []
  const failure = step(out)
  return failure === undefined ? Effect.succeed(out) : Effect.fail(failure)
}

/** The values `make()`'s scanner completes as `bytes` stream through it; a new scanner per run. */
export const scan = <A, E>(
  bytes: Stream.Stream<Uint8Array, E>,
  make: () => Scanner<A>
): Stream.Stream<A, E | SourceError.DecodeError> =>
  Stream.suspend(() => {
    const scanner = make()
    return Stream.concat(
      bytes.pipe(
        Stream.mapEffect((piece) => run<A>((out) => scanner.feed(piece, out))),
        Stream.flattenIterable
      ),
      Stream.fromIterableEffect(Effect.suspend(() => run<A>(scanner.end)))
    )
  })
