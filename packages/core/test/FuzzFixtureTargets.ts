/**
 * Targets that break the fuzzing contract on purpose, for the tests of the fuzzer itself: each is what
 * its name says, on every body.
 */
import { Effect } from "effect"
import { SourceError } from "../src/index.ts"
import type { Fuzz } from "../src/testing/index.ts"

const seeds = [new TextEncoder().encode('[{"a":1}]')]

const target = (name: string, run: Fuzz.Target["run"]): Fuzz.Target => ({ name, format: "json", seeds, run })

/**
 * @since 0.1.0
 */
export const targets: ReadonlyArray<Fuzz.Target> = [
  target("ok", () => Effect.void),
  target("typed", () => Effect.fail(new SourceError.DecodeError({ source: "t", url: "u", detail: "d", excerpt: "" }))),
  target("untyped", () => Effect.fail(new Error("not a SourceError") as never)),
  target("dies", () => Effect.die("boom")),
  target("throws", () => {
    throw new TypeError("thrown while making the effect")
  }),
  target("never", () => Effect.never),
  target("loops", () =>
    Effect.sync(() => {
      for (;;) {}
    })
  ),
  target("exits", () => Effect.sync(() => process.exit(3)))
]
