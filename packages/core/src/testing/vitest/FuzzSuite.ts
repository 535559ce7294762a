/**
 * The fuzz tests of a package's decoders in its normal test run: one vitest case per target, a fixed
 * seed so that a failure is the same every run, and a generous hang bound because a test shares the
 * machine (a body slow for a bad reason, time growing with the square of its size or a loop, takes far
 * longer). `pnpm fuzz` runs many more bodies, in workers with a strict bound (see {@link Fuzz.main}).
 *
 * ```ts
 * import { FuzzSuite } from "@electfeed/core/testing/vitest"
 * import { targets } from "./FuzzTargets.ts"
 * FuzzSuite.suite(targets, { bodies: 1000 })
 * ```
 *
 * @since 0.2.0
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Fuzz from "../Fuzz.ts"

/**
 * The seed of every package's fuzz tests.
 *
 * @since 0.2.0
 * @category constants
 */
export const seed = 20261201

/**
 * Declares a case per target: `bodies` mutated bodies of its seeds, each ending in success or a typed
 * `SourceError`, never a defect and never a hang of more than `hangMillis` (default 10 s).
 *
 * @since 0.2.0
 * @category testing
 */
export const suite = (
  targets: ReadonlyArray<Fuzz.Target>,
  options: { readonly bodies: number; readonly hangMillis?: number | undefined }
): void => {
  const hangMillis = options.hangMillis ?? 10_000
  describe("Fuzz", () => {
    for (const target of targets) {
      it.effect(`${target.name}: ${options.bodies.toLocaleString("en-US")} mutated bodies, no defect, no hang`, () =>
        Effect.gen(function* () {
          assert.isAbove(target.seeds.length, 0, "the target has no seeds")
          const report = yield* Fuzz.run(target, { bodies: options.bodies, seed, hangMillis })
          assert.deepStrictEqual(report.failures, [])
          assert.strictEqual(report.ok + report.typed, options.bodies)
        })
      )
    }
  })
}
