import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { LocalTime } from "../src/index.ts"

const at = (year: number, month: number, day: number, hour: number, minute: number, second?: number) => ({
  year,
  month,
  day,
  hour,
  minute,
  second
})

const pacific = "America/Los_Angeles"

const failure = (result: Result.Result<string, string>): string => {
  assert.isTrue(Result.isFailure(result), `accepted as ${Result.isSuccess(result) ? result.success : ""}`)
  return Result.isFailure(result) ? result.failure : ""
}

describe("LocalTime", () => {
  it("gives a named zone's offset of that moment, across daylight saving time", () => {
    const cases: ReadonlyArray<readonly [LocalTime.LocalDateTime, string, string]> = [
      [at(2024, 11, 5, 23, 55), pacific, "2024-11-05T23:55:00-08:00"],
      [at(2024, 10, 30, 11, 59), pacific, "2024-10-30T11:59:00-07:00"],
      [at(2024, 11, 5, 20, 0, 7), "America/New_York", "2024-11-05T20:00:07-05:00"],
      [at(2024, 7, 1, 12, 0), "America/Phoenix", "2024-07-01T12:00:00-07:00"],
      [at(2024, 7, 1, 12, 0), "Pacific/Honolulu", "2024-07-01T12:00:00-10:00"],
      // November: the night daylight saving time ends (2:00 -> 1:00).
      [at(2024, 11, 3, 0, 30), pacific, "2024-11-03T00:30:00-07:00"],
      [at(2024, 11, 3, 2, 30), pacific, "2024-11-03T02:30:00-08:00"],
      // March: the night it starts (2:00 -> 3:00).
      [at(2024, 3, 10, 1, 59), pacific, "2024-03-10T01:59:00-08:00"],
      [at(2024, 3, 10, 3, 0), pacific, "2024-03-10T03:00:00-07:00"],
      [at(2024, 2, 29, 12, 0), pacific, "2024-02-29T12:00:00-08:00"]
    ]
    for (const [local, zone, iso] of cases) {
      assert.deepStrictEqual(LocalTime.isoInZone(local, zone), Result.succeed(iso), `${iso} ${zone}`)
    }
  })

  it("takes the first 1:30 a.m. of the night it happens twice, or the second, or refuses to choose", () => {
    const twice = at(2024, 11, 3, 1, 30)
    assert.deepStrictEqual(LocalTime.isoInZone(twice, pacific), Result.succeed("2024-11-03T01:30:00-07:00"))
    assert.deepStrictEqual(
      LocalTime.isoInZone(twice, pacific, { disambiguation: "later" }),
      Result.succeed("2024-11-03T01:30:00-08:00")
    )
    assert.include(failure(LocalTime.isoInZone(twice, pacific, { disambiguation: "reject" })), "2024-11-03 01:30")
  })

  it("moves a time in March's skipped hour past the gap, or rejects it", () => {
    const skipped = at(2024, 3, 10, 2, 30)
    assert.deepStrictEqual(LocalTime.isoInZone(skipped, pacific), Result.succeed("2024-03-10T03:30:00-07:00"))
    assert.include(failure(LocalTime.isoInZone(skipped, pacific, { disambiguation: "reject" })), "not one moment")
  })

  it("reads a 12-hour clock: 12 p.m. is noon, 12 a.m. is midnight", () => {
    assert.strictEqual(LocalTime.hour24(12, "pm"), 12)
    assert.strictEqual(LocalTime.hour24(12, "am"), 0)
    assert.strictEqual(LocalTime.hour24(1, "pm"), 13)
    assert.strictEqual(LocalTime.hour24(11, "am"), 11)
    for (const bad of [0, 13, 1.5, Number.NaN]) assert.isUndefined(LocalTime.hour24(bad, "pm"), String(bad))
    const noon = at(2024, 11, 5, LocalTime.hour24(12, "pm")!, 0)
    assert.deepStrictEqual(LocalTime.isoInZone(noon, pacific), Result.succeed("2024-11-05T12:00:00-08:00"))
  })

  it("gives an abbreviation's own offset, which tells the two 1:30s apart", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["EST", "2024-11-05T23:55:00-05:00"],
      ["EDT", "2024-11-05T23:55:00-04:00"],
      ["CST", "2024-11-05T23:55:00-06:00"],
      ["CDT", "2024-11-05T23:55:00-05:00"],
      ["MST", "2024-11-05T23:55:00-07:00"],
      ["MDT", "2024-11-05T23:55:00-06:00"],
      ["PST", "2024-11-05T23:55:00-08:00"],
      ["PDT", "2024-11-05T23:55:00-07:00"],
      ["AKST", "2024-11-05T23:55:00-09:00"],
      ["AKDT", "2024-11-05T23:55:00-08:00"],
      ["HST", "2024-11-05T23:55:00-10:00"]
    ]
    for (const [abbreviation, iso] of cases) {
      assert.deepStrictEqual(LocalTime.isoWithAbbreviation(at(2024, 11, 5, 23, 55), abbreviation), Result.succeed(iso))
    }
    const twice = at(2024, 11, 3, 1, 30)
    assert.deepStrictEqual(
      LocalTime.isoWithAbbreviation(twice, "PDT", { zone: pacific }),
      Result.succeed("2024-11-03T01:30:00-07:00")
    )
    assert.deepStrictEqual(
      LocalTime.isoWithAbbreviation(twice, "PST", { zone: pacific }),
      Result.succeed("2024-11-03T01:30:00-08:00")
    )
  })

  it("rejects an abbreviation that disagrees with the date's daylight saving time in the zone it is held to", () => {
    assert.include(failure(LocalTime.isoWithAbbreviation(at(2024, 7, 4, 21, 0), "PST", { zone: pacific })), "PST")
    failure(LocalTime.isoWithAbbreviation(at(2024, 12, 4, 21, 0), "EDT", { zone: "America/New_York" }))
    // 2:30 PST on the night daylight saving time starts is 3:30 PDT: Pacific time never shows it as PST.
    failure(LocalTime.isoWithAbbreviation(at(2024, 3, 10, 2, 30), "PST", { zone: pacific }))
    // Arizona keeps MST all summer.
    assert.deepStrictEqual(
      LocalTime.isoWithAbbreviation(at(2024, 7, 4, 21, 0), "MST", { zone: "America/Phoenix" }),
      Result.succeed("2024-07-04T21:00:00-07:00")
    )
    failure(LocalTime.isoWithAbbreviation(at(2024, 7, 4, 21, 0), "MST", { zone: "America/Denver" }))
  })

  it("rejects junk with what is wrong", () => {
    assert.include(failure(LocalTime.isoInZone(at(2023, 2, 29, 12, 0), pacific)), "a day from 1 to 28")
    assert.include(failure(LocalTime.isoInZone(at(2024, 13, 1, 12, 0), pacific)), "a month")
    assert.include(failure(LocalTime.isoInZone(at(2024, 11, 5, 24, 0), pacific)), "an hour")
    assert.include(failure(LocalTime.isoInZone(at(2024, 11, 5, 23, 60), pacific)), "a minute")
    assert.include(failure(LocalTime.isoInZone(at(2024, 11, 5, 23, 0, 60), pacific)), "a second")
    assert.include(failure(LocalTime.isoInZone(at(2024, 11, 5, 1.5, 0), pacific)), "whole numbers")
    assert.include(failure(LocalTime.isoInZone(at(24, 11, 5, 1, 0), pacific)), "a year")
    assert.include(failure(LocalTime.isoInZone(at(2024, 11, 5, 1, 0), "Mars/Olympus")), "unknown time zone")
    assert.include(failure(LocalTime.isoWithAbbreviation(at(2024, 11, 5, 1, 0), "pst")), "US zone abbreviation")
    assert.include(failure(LocalTime.isoWithAbbreviation(at(2024, 11, 5, 1, 0), "BST")), '"BST"')
    assert.include(failure(LocalTime.isoWithAbbreviation(at(2024, 11, 5, 1, 0), "toString")), "toString")
    failure(LocalTime.isoWithAbbreviation(at(2024, 11, 5, 1, 0), "PST", { zone: "Nowhere" }))
  })
})
