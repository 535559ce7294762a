import { assert, describe, it } from "@effect/vitest"
import { Mapping } from "../src/index.ts"
import * as Testing from "../src/testing/index.ts"

describe("Mapping", () => {
  it("maps a contest to a ContestResult with percents of the votes counted", () => {
    const [governor] = Testing.Data.results.contests
    const result = Mapping.contestResult(governor!, "2026-11-03T21:15:00-05:00")
    assert.strictEqual(result.reporting.percent, 34.3)
    assert.deepStrictEqual(
      result.selections.map((s) => [s.name, s.votes, s.percent]),
      [
        ["Ana Ruiz", 182_044, 49.5],
        ['Bo "Bobby" Chen', 176_390, 48],
        ["Zoë Ångström", 9_017, 2.5]
      ]
    )
    assert.deepStrictEqual(result.jurisdiction, { state: Mapping.state, county: null, district: null })
  })

  it("gives a contest nobody has voted in yet zero percents, not NaN", () => {
    const [, house] = Testing.Data.results.contests
    const result = Mapping.contestResult({ ...house!, candidates: [{ ...house!.candidates[0]!, votes: 0 }] }, "x")
    assert.strictEqual(result.selections[0]!.percent, 0)
  })
})
