/**
 * Core's decoders against mutated bodies, a thousand each: every body ends in success or a typed
 * `SourceError`, never a defect or a hang. The seed is fixed, so a failure here is the same every run.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Fuzz } from "../src/testing/index.ts"
import { targets } from "./FuzzTargets.ts"

const seed = 20261201

// Past this a body is a hang. Generous, as a test shares the machine: a body that is slow for a bad reason
// (time growing with the square of its size, a loop) takes far longer.
const hangMillis = 10_000

describe("Fuzz", () => {
  for (const target of targets) {
    it.effect(`${target.name}: 1,000 mutated bodies, no defect, no hang`, () =>
      Effect.gen(function* () {
        const report = yield* Fuzz.run(target, { bodies: 1000, seed, hangMillis })
        assert.deepStrictEqual(report.failures, [])
        assert.strictEqual(report.ok + report.typed, 1000)
      })
    )
  }
})
