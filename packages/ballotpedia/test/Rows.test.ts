/**
 * Rows that cannot be used (a key that cannot be written, a field of 50 MB) are skipped and reported where
 * they are, and the rows around them are read: one bad row never costs the others.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Source } from "@electfeed/core"
import { Effect, Exit } from "effect"
import { source } from "../src/index.ts"
import { Generator, Simulator } from "../src/testing/index.ts"
import { collect, configFor, events, tempDirectory } from "./support.ts"

const skipped = (items: ReadonlyArray<Source.ReadItem>) =>
  items.flatMap((item) => (item._tag === "Skipped" ? [item.error] : []))

const read = (sim: Simulator.BallotpediaSimulator, format: "json" | "csv") =>
  Effect.gen(function* () {
    const { exit, items } = yield* collect(source.read(configFor(sim, { format })), yield* tempDirectory)
    assert.isTrue(Exit.isSuccess(exit), "expected the read to end well")
    return items
  })

describe("rows", () => {
  it.effect("a row whose id has a lone surrogate is skipped, named by row and column, and its neighbours live", () =>
    Effect.gen(function* () {
      const candidates = Array.from(Generator.candidateRows(3))
      const sim = yield* Simulator.serve({
        datasets: [
          {
            id: "7",
            title: "Ballot measures",
            kind: "other",
            rows: [{ id: "ok-1" }, { id: "\ud800" }, { id: "ok-3" }]
          },
          {
            id: "8",
            title: "Candidates",
            kind: "candidates",
            rows: candidates.map((row, i) => (i === 1 ? { ...row, stage_id: "5\udc00" } : row))
          }
        ]
      })
      const items = yield* read(sim, "json")
      assert.deepStrictEqual(
        events(items).map((event) => event.key),
        [
          "dataset:7/id/ok-1",
          "dataset:7/id/ok-3",
          `candidate/${candidates[0]!.candidate_id}/${candidates[0]!.stage_id}`,
          `candidate/${candidates[2]!.candidate_id}/${candidates[2]!.stage_id}`
        ]
      )
      const [measure, candidate] = skipped(items)
      assert.strictEqual(measure?.row, 1)
      assert.strictEqual(measure?.column, "id")
      assert.include(measure?.message, "lone surrogate (U+D800)")
      assert.strictEqual(candidate?.row, 1)
      assert.strictEqual(candidate?.column, "stage_id")
    })
  )

  for (const format of ["json", "csv"] as const) {
    it.effect(`a row with a 50 MB field is skipped and reported, and the rows after it are read (${format})`, () =>
      Effect.gen(function* () {
        const rows = [
          { id: "1", note: "before" },
          { id: "2", note: "x".repeat(50_000_000) },
          { id: "3", note: "after" }
        ]
        const sim = yield* Simulator.serve({ datasets: [{ id: "9", title: "Notes", kind: "other", rows }] })
        const items = yield* read(sim, format)
        assert.deepStrictEqual(
          events(items).map((event) => event.key),
          ["dataset:9/id/1", "dataset:9/id/3"]
        )
        const [error] = skipped(items)
        assert.strictEqual(error?.row, 1)
        assert.include(error?.message, "larger than the 16777216 characters allowed")
        assert.match(error?.url ?? "", new RegExp(`\\.${format}$`))
      })
    )
  }
})
