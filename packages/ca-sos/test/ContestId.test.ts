import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { ContestId } from "../src/index.ts"

describe("ContestId", () => {
  it("reads the SOS's documented ids digit pair by digit pair", () => {
    const read = (text: string) => Result.getOrThrow(ContestId.parse(text))
    assert.deepStrictEqual(read("01000300000059"), {
      raceType: ContestId.RaceType.president,
      electionType: 0,
      party: 3,
      district: 0,
      division: 0,
      seat: 0,
      county: 59
    })
    assert.strictEqual(read("02000000000017").county, ContestId.countyBySlug("lake")!.code)
    assert.strictEqual(read("11000001000059").district, 1)
    assert.strictEqual(read("13000002000059").raceType, ContestId.RaceType["state-assembly"])
    assert.strictEqual(read("19000000005059").seat, 50)
  })

  it("builds ids from their parts, the county defaulting to the whole area", () => {
    assert.strictEqual(ContestId.format(ContestId.make({ raceType: ContestId.RaceType.governor })), "02000000000059")
    assert.strictEqual(
      ContestId.format(ContestId.make({ raceType: ContestId.RaceType["us-rep"], district: 40 })),
      "11000040000059"
    )
    assert.strictEqual(
      ContestId.format(ContestId.make({ raceType: ContestId.RaceType["ballot-measures"], seat: 50, county: 21 })),
      "19000000005021"
    )
    for (const id of ["01000300000059", "12000002000059", "15000003010259"]) {
      assert.strictEqual(ContestId.format(Result.getOrThrow(ContestId.parse(id))), id)
    }
  })

  it("names the id and the fault of a malformed one", () => {
    const reason = (text: string) => Result.match(ContestId.parse(text), { onFailure: (r) => r, onSuccess: () => "" })
    assert.include(reason("0200000000005"), '"0200000000005" is not 14 digits')
    assert.include(reason("02000000000O59"), "is not 14 digits")
    assert.include(reason("17000000000059"), "17000000000059 has race type 17")
    assert.include(reason("02000000000000"), "02000000000000 has county 00")
    assert.include(reason("02000000000060"), "has county 60")
  })

  it("has the 58 counties in alphabetical order with their slugs", () => {
    assert.strictEqual(ContestId.counties.length, 58)
    assert.deepStrictEqual(
      ContestId.counties.map((c) => c.name),
      [...ContestId.counties.map((c) => c.name)].sort()
    )
    assert.deepStrictEqual(ContestId.countyByCode(17), { code: 17, name: "Lake", slug: "lake" })
    assert.strictEqual(ContestId.countyBySlug("marin")?.code, 21)
    assert.strictEqual(ContestId.countyBySlug("contra-costa")?.name, "Contra Costa")
    assert.strictEqual(ContestId.countyBySlug("san-luis-obispo")?.code, 40)
    assert.strictEqual(ContestId.countyByCode(58)?.slug, "yuba")
    assert.isUndefined(ContestId.countyByCode(59))
    assert.isTrue(Result.isFailure(ContestId.parseCounty("springfield")))
  })
})
