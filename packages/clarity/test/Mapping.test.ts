import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { Mapping } from "../src/index.ts"

describe("Mapping", () => {
  it("strips the party and incumbency markers of a choice's text", () => {
    assert.deepStrictEqual(Mapping.choice("Donald J. Trump (I) (Rep)", "NP"), {
      name: "Donald J. Trump",
      party: "Rep",
      incumbent: true
    })
    assert.deepStrictEqual(Mapping.choice("Lauren Bubba McDonald, Jr. (I) (Rep)", "NP"), {
      name: "Lauren Bubba McDonald, Jr.",
      party: "Rep",
      incumbent: true
    })
    assert.deepStrictEqual(Mapping.choice("Carol Geiger Durrance (I)", "NP"), {
      name: "Carol Geiger Durrance",
      party: null,
      incumbent: true
    })
    assert.deepStrictEqual(Mapping.choice("DONALD J. TRUMP", "REP"), {
      name: "DONALD J. TRUMP",
      party: "REP",
      incumbent: null
    })
    assert.deepStrictEqual(Mapping.choice("Write-in", ""), { name: "Write-in", party: null, incumbent: null })
  })

  it("turns a timestamp's zone abbreviation into its offset", () => {
    assert.deepStrictEqual(
      Mapping.timestamp("11/30/2020 8:18:00 AM EST", undefined),
      Result.succeed("2020-11-30T08:18:00-05:00")
    )
    assert.deepStrictEqual(
      Mapping.timestamp("3/3/2020 10:02:11 PM CST", undefined),
      Result.succeed("2020-03-03T22:02:11-06:00")
    )
    assert.deepStrictEqual(
      Mapping.timestamp("8/4/2026 12:05:00 AM MDT", undefined),
      Result.succeed("2026-08-04T00:05:00-06:00")
    )
  })

  it("reads a timestamp without a zone in the config's time zone, or as null", () => {
    assert.deepStrictEqual(
      Mapping.timestamp("11/3/2026 9:30:00 PM", "America/Denver"),
      Result.succeed("2026-11-03T21:30:00-07:00")
    )
    assert.deepStrictEqual(Mapping.timestamp("11/3/2026 9:30:00 PM", undefined), Result.succeed(null))
    assert.isTrue(Result.isFailure(Mapping.timestamp("13/3/2026 9:30:00 PM EST", undefined)))
    assert.isTrue(Result.isFailure(Mapping.timestamp("11/3/2026 9:30:00 PM XYZ", undefined)))
  })

  it("tells candidates, measures and retentions apart, and a title's district", () => {
    assert.deepStrictEqual(Mapping.contestShape("8", "State House District 176", false, ["A (Rep)"]), {
      contestKind: "candidate",
      office: "State House",
      district: "176"
    })
    assert.deepStrictEqual(Mapping.contestShape("22", "Constitutional Amendment #1", false, ["YES", "NO"]), {
      contestKind: "measure",
      office: "Constitutional Amendment #1",
      district: null,
      measure: { number: "1", title: "Constitutional Amendment #1" }
    })
    assert.strictEqual(
      Mapping.contestShape("30", "Retain Justice Ada Park", true, ["Yes", "No"]).contestKind,
      "retention"
    )
    assert.strictEqual(Mapping.contestShape("31", "Question 02", true, ["For", "Against"]).measure?.number, "2")
  })

  it("puts a measure's Yes before its No, and gives a contest nobody voted in zero percents", () => {
    const results = Mapping.contestResults({
      key: "9",
      title: "Referendum B",
      isQuestion: true,
      choices: [
        { text: "NO", party: "NP" },
        { text: "YES", party: "NP" }
      ]
    })
    const result = results({
      state: "GA",
      county: null,
      reporting: { precinctsReporting: 0, precinctsTotal: 4, percent: 0 },
      updatedAt: null,
      votes: [0, 0]
    })
    assert.deepStrictEqual(
      result.selections.map((s) => [s.name, s.votes, s.percent]),
      [
        ["Yes", 0, 0],
        ["No", 0, 0]
      ]
    )
  })
})
