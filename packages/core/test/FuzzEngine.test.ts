/**
 * The fuzzer itself: it tells every outcome apart, and in worker threads it stops a body stuck in a
 * synchronous loop or one that ends its worker, counts it, and goes on with the next body.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Fuzz } from "../src/testing/index.ts"
import { targets } from "./FuzzFixtureTargets.ts"

const named = (name: string) => targets.find((target) => target.name === name)!
const module = new URL("./FuzzFixtureTargets.ts", import.meta.url).href

describe("Fuzz engine", () => {
  it.effect("counts ok, typed errors, defects (untyped errors, dies, throws) and asynchronous hangs", () =>
    Effect.gen(function* () {
      const outcomes: Record<string, ReadonlyArray<number>> = {}
      for (const name of ["ok", "typed", "untyped", "dies", "throws", "never"]) {
        // Long enough that a loaded machine never takes a body that ends for one that hangs.
        const report = yield* Fuzz.run(named(name), { bodies: 2, seed: 1, hangMillis: 1000 })
        outcomes[name] = [report.ok, report.typed, report.defects, report.hangs]
      }
      assert.deepStrictEqual(outcomes, {
        ok: [2, 0, 0, 0],
        typed: [0, 2, 0, 0],
        untyped: [0, 0, 2, 0],
        dies: [0, 0, 2, 0],
        throws: [0, 0, 2, 0],
        never: [0, 0, 0, 2]
      })
    })
  )

  it.effect("makes the same bodies from the same seed, and others from another", () =>
    Effect.sync(() => {
      const target = named("ok")
      const bodies = (seed: number) =>
        Array.from({ length: 20 }, (_, i) => Buffer.from(Fuzz.body(target, seed, i)).toString("hex"))
      assert.deepStrictEqual(bodies(5), bodies(5))
      assert.notDeepEqual(bodies(5), bodies(6))
    })
  )

  it.effect(
    "terminates a worker stuck in a synchronous loop or ended by its body, and goes on",
    () =>
      Effect.promise(async () => {
        for (const [name, outcome] of [
          ["loops", "hang"],
          ["exits", "defect"]
        ] as const) {
          const report = await Fuzz.runInWorkers(module, name, { seed: 1, first: 10, end: 13, hangMillis: 300 })
          assert.strictEqual(report.bodies, 3, name)
          assert.deepStrictEqual(
            report.failures.map((failure) => [failure.index, failure.outcome]),
            [10, 11, 12].map((index) => [index, outcome])
          )
        }
        const fine = await Fuzz.runInWorkers(module, "typed", { seed: 1, first: 0, end: 50, hangMillis: 5000 })
        assert.strictEqual(fine.typed, 50)
      }),
    // Each worker loads core from its sources: on a loaded 2-core machine that alone takes seconds.
    120_000
  )
})
