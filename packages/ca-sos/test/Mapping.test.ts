import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { ContestId, Endpoints, Mapping, type Wire } from "../src/index.ts"

const header = (raceTitle: string) => ({
  raceTitle,
  Reporting: { precinctsReporting: 1, precinctsTotal: 2, percent: 50 },
  ReportingTime: "2026-11-03T20:26:00-08:00"
})

const office = (raceTitle: string): Wire.Contest => ({
  ...header(raceTitle),
  candidates: [{ Name: "Ana Ruiz", Party: "Dem", Votes: 10, Percent: 100, incumbent: false }]
})

const endpoint = (path: string): Mapping.Origin => ({
  _tag: "Endpoint",
  endpoint: Result.getOrThrow(Endpoints.parse(path))
})

const keysOf = (origin: Mapping.Origin, contests: ReadonlyArray<Wire.Contest>) =>
  Result.map(Mapping.places(origin, contests), (places) => places.map((place) => place.key.join("/")))

describe("Mapping", () => {
  it("places a county breakdown's results: the county's first, the wider one alone when outside", () => {
    const origin = endpoint("/returns/us-rep/district/1/county/lake")
    const county = office("U.S. House of Representatives District 1 - Lake County Results")
    const wider = office("U.S. House of Representatives District 1 - Districtwide Results")
    assert.deepStrictEqual(keysOf(origin, [county, wider]), Result.succeed(["11000001000017", "11000001000059"]))
    assert.deepStrictEqual(keysOf(origin, [wider]), Result.succeed(["11000001000059"]))
    assert.deepStrictEqual(keysOf(origin, [county]), Result.succeed(["11000001000017"]))
    assert.isTrue(Result.isFailure(keysOf(origin, [county, wider, wider])))
  })

  it("places each district of /district/all by its title, and fails on a title without one", () => {
    const origin = endpoint("/returns/state-assembly/district/all")
    const places = Result.getOrThrow(
      Mapping.places(origin, [office("State Assembly Member District 33 - Districtwide Results")])
    )
    assert.deepStrictEqual(
      places.map((p) => [p.key.join("/"), p.contestId?.district]),
      [["13000033000059", 33]]
    )
    const failure = Mapping.places(origin, [office("State Assembly - Districtwide Results")])
    assert.isTrue(Result.isFailure(failure) && failure.failure.includes("no district number"))
  })

  it("fails a batch query whose answer does not have one contest per id", () => {
    const ids = ["02000000000059", "03000000000059"].map((id) => Result.getOrThrow(ContestId.parse(id)))
    const failure = Mapping.places({ _tag: "Query", ids }, [office("Governor - Statewide Results")])
    assert.isTrue(Result.isFailure(failure) && failure.failure.includes("expected 2 contests"))
  })

  it("keys a measure without a two-digit number under its body's id", () => {
    const place = Result.getOrThrow(Mapping.places(endpoint("/returns/ballot-measures"), [office("x")]))[0]!
    const measures: Wire.Contest = {
      ...header("Ballot Measures - Statewide Results"),
      "ballot-measures": [
        { Name: "Bonds", Number: "1A", yesVotes: 3, yesPercent: 75, noVotes: 1, noPercent: 25 },
        { Name: "Rent", Number: "07", yesVotes: 1, yesPercent: 50, noVotes: 1, noPercent: 50 }
      ]
    }
    assert.deepStrictEqual(
      Mapping.results(measures, place).map(({ key, data }) => [key.join("/"), data.contestId, data.measure?.number]),
      [
        ["19000000000059/measure/1A", "19000000000059", "1A"],
        ["19000000000759", "19000000000759", "7"]
      ]
    )
  })

  it("takes a primary's party out of the office and into the result's party", () => {
    const primary = Result.getOrThrow(
      Mapping.places(endpoint("/returns/president/party/peace-and-freedom"), [office("x")])
    )[0]!
    const [result] = Mapping.results(office("President Peace and Freedom - Statewide Results"), primary)
    assert.deepStrictEqual([result!.data.office, result!.data.party], ["President", "Peace and Freedom"])
  })

  it("takes the district out of an office in time that grows with the title, however much whitespace it holds", () => {
    const place = Result.getOrThrow(
      Mapping.places(endpoint("/returns/governor"), [office("Governor - Statewide Results")])
    )[0]!
    const officeOf = (title: string) => Mapping.results(office(title), place)[0]!.data.office
    assert.strictEqual(officeOf("State Senate District 7 - Districtwide Results"), "State Senate")
    assert.strictEqual(officeOf("State Senate\t District 12"), "State Senate")
    assert.strictEqual(officeOf("State SenateDistrict 7 - Results"), "State SenateDistrict 7")
    const blank = " ".repeat(1_000_000)
    assert.strictEqual(officeOf(`${blank}x - Statewide Results`), `${blank}x`)
    assert.strictEqual(officeOf(`Senate${blank}District 3`), "Senate")
  })

  it("keeps the SOS's party code and adds core's partyCode: known codes read as one, the rest as null", () => {
    const origin = endpoint("/returns/governor")
    const contest: Wire.Contest = {
      ...header("Governor - Statewide Results"),
      candidates: ["Dem", "Rep", "NPP", "Grn", "Lib", "P&F", "AI", "Non", "", "Whig"].map((Party, i) => ({
        Name: `C${i}`,
        Party,
        Votes: i,
        Percent: 0,
        incumbent: false
      }))
    }
    const [place] = Result.getOrThrow(Mapping.places(origin, [contest]))
    const [result] = Mapping.results(contest, place!)
    assert.deepStrictEqual(
      result!.data.selections.map((s) => [s.party, s.partyCode]),
      [
        ["Dem", "DEM"],
        ["Rep", "REP"],
        ["NPP", "NPP"],
        ["Grn", "GRN"],
        ["Lib", "LIB"],
        ["P&F", "PF"],
        ["AI", "AIP"],
        [null, "NON"],
        [null, null],
        ["Whig", null]
      ]
    )
    const measures: Wire.Contest = {
      ...header("Propositions - Statewide Results"),
      "ballot-measures": [{ Name: "Prop", Number: "01", yesVotes: 1, yesPercent: 50, noVotes: 1, noPercent: 50 }]
    }
    const [measurePlace] = Result.getOrThrow(Mapping.places(endpoint("/returns/ballot-measures"), [measures]))
    for (const result of Mapping.results(measures, measurePlace!)) {
      assert.deepStrictEqual(
        result.data.selections.map((s) => s.partyCode),
        [null, null]
      )
    }
  })
})
