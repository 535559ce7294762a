import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Quirks } from "../src/index.ts"

const decode = <S extends Schema.Decoder<unknown>>(schema: S, input: string) =>
  Schema.decodeUnknownEffect(schema)(input)

const rejects = <S extends Schema.Decoder<unknown>>(schema: S, input: string) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(decode(schema, input))
    assert.isTrue(Exit.isFailure(exit), `${JSON.stringify(input)} was accepted`)
    if (Exit.isFailure(exit)) assert.include(String(exit.cause), JSON.stringify(input))
  })

describe("Quirks", () => {
  it.effect("reads comma-grouped and plain vote counts", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* decode(Quirks.VoteCount, "6,455,637"), 6455637)
      assert.strictEqual(yield* decode(Quirks.VoteCount, "7158901"), 7158901)
      assert.strictEqual(yield* decode(Quirks.VoteCount, "0"), 0)
      assert.strictEqual(yield* decode(Quirks.VoteCount, "999"), 999)
      for (const bad of ["1,2", "12,34,567", "-5", "1.5", "", " 12", "1,234,"]) yield* rejects(Quirks.VoteCount, bad)
    })
  )

  it.effect("reads one-decimal percents", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* decode(Quirks.Percent, "52.5"), 52.5)
      assert.strictEqual(yield* decode(Quirks.Percent, "0.0"), 0)
      assert.strictEqual(yield* decode(Quirks.Percent, "100.0"), 100)
      for (const bad of ["", "NaN", "5%", "-1.0", "1e3"]) yield* rejects(Quirks.Percent, bad)
    })
  )

  it.effect("reads both Reporting styles, with grouped counts and below-100% finals", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [string, number, number, number]> = [
        ["47% (11,408 of 19,788) precincts reporting", 11408, 19788, 47],
        ["100.0% (25,554 of 25,554) precincts reporting", 25554, 25554, 100],
        ["100% (524 of 524) precincts reporting", 524, 524, 100],
        ["0% (0 of 58,000) precincts reporting", 0, 58000, 0],
        ["0.0% (0 of 24,811) precincts reporting", 0, 24811, 0],
        ["96.3% (547 of 568) precincts reporting", 547, 568, 96.3],
        ["9.7% (1,204 of 12,411) precincts reporting", 1204, 12411, 9.7]
      ]
      for (const [text, precinctsReporting, precinctsTotal, percent] of cases) {
        assert.deepStrictEqual(yield* decode(Quirks.Reporting, text), { precinctsReporting, precinctsTotal, percent })
      }
      for (const bad of [
        "47% (11,408 of 19,788)",
        "47 (1 of 2) precincts reporting",
        "47% (1 to 2) precincts reporting"
      ]) {
        yield* rejects(Quirks.Reporting, bad)
      }
    })
  )

  it.effect("reads ReportingTime with the Pacific offset of its day, across daylight saving time", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["November 5, 2024, 11:55 p.m.", "2024-11-05T23:55:00-08:00"],
        ["October 30, 2024, 11:59 a.m.", "2024-10-30T11:59:00-07:00"],
        ["November 6, 2024, 12:11 a.m.", "2024-11-06T00:11:00-08:00"],
        ["June 3, 2026, 12:05 p.m.", "2026-06-03T12:05:00-07:00"],
        ["December 6, 2022, 6:27 p.m.", "2022-12-06T18:27:00-08:00"],
        // The days daylight saving time starts (2:00 -> 3:00) and ends (2:00 -> 1:00) in 2024.
        ["March 10, 2024, 1:59 a.m.", "2024-03-10T01:59:00-08:00"],
        ["March 10, 2024, 3:00 a.m.", "2024-03-10T03:00:00-07:00"],
        ["March 5, 2024, 8:00 p.m.", "2024-03-05T20:00:00-08:00"],
        ["November 3, 2024, 12:30 a.m.", "2024-11-03T00:30:00-07:00"],
        ["November 3, 2024, 1:30 a.m.", "2024-11-03T01:30:00-07:00"],
        ["November 3, 2024, 2:30 a.m.", "2024-11-03T02:30:00-08:00"]
      ]
      for (const [text, iso] of cases) assert.strictEqual(yield* decode(Quirks.ReportingTime, text), iso, text)
      for (const bad of [
        "November 5, 2024, 11:55 p.m. PST",
        "November 5, 2024, 11:55 pm",
        "November 5, 2024, 13:55 p.m.",
        "November 5, 2024, 0:55 a.m.",
        "February 30, 2024, 1:00 p.m.",
        "Nov 5, 2024, 11:55 p.m.",
        "November 5, 2024 11:55 p.m."
      ]) {
        yield* rejects(Quirks.ReportingTime, bad)
      }
    })
  )

  it.effect("reads CSV booleans", () =>
    Effect.gen(function* () {
      assert.isTrue(yield* decode(Quirks.BooleanText, "true"))
      assert.isFalse(yield* decode(Quirks.BooleanText, "false"))
      yield* rejects(Quirks.BooleanText, "TRUE")
    })
  )
})
