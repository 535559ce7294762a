/**
 * Every real `detail.xml` in `../shared/fixtures/clarity` (kept outside the repository), zipped on the
 * fly and read through the source from a site on 127.0.0.1: every contest's units add up to its totals,
 * and every selection's vote types to its votes.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import type { Feed } from "@electfeed/core"
import { Effect } from "effect"
import * as Testing from "../src/testing/index.ts"
import { configOf, eventsOf, read, serveReports } from "./support.ts"

const folder = path.resolve(import.meta.dirname, "../../../../shared/fixtures/clarity")
const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith(".xml")) : []

type Result = Feed.ContestResult

/**
 * Where a real file's own numbers disagree: Atkinson's presidential contest gives each choice an
 * `Election Day Votes` total larger than the sum of its precincts (Willacoochee's Election Day votes
 * are in the total but not in its precinct, 0). The units then fall short of `totalVotes` by exactly
 * that gap, which the file itself shows, and nowhere else.
 */
const fileGaps: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<number>>>>> = {
  "ga_atkinson_precincts_11-3.xml": { "1": [716 - 492, 250 - 133, 14 - 10] }
}

const byContest = (events: ReadonlyArray<Feed.FeedEvent>) => {
  const contests = new Map<string, { total?: Result; units: Array<Result> }>()
  for (const event of events) {
    if (event.kind !== "ContestResult") continue
    const data = event.data
    const entry = contests.get(data.contestId!) ?? { units: [] }
    contests.set(data.contestId!, entry)
    if (event.key === encodeURIComponent(data.contestId!)) entry.total = data
    else entry.units.push(data)
  }
  return contests
}

/** A fixture's site: its state from the file name (`wv_…`), and for a precinct file the county of `<Region>`. */
const siteOf = (name: string, xml: string) => {
  const state = name.slice(0, 2).toUpperCase()
  const precincts = /<VoteType[^>]*>\s*<Precinct /.test(xml)
  const region = /<Region>([^<]*)<\/Region>/.exec(xml)?.[1] ?? ""
  return precincts
    ? { site: `${state}/${region.replace(/ /g, "_")}`, level: "precinct" as const }
    : { site: state, level: "county" as const }
}

describe("the real detail.xml files of ../shared/fixtures/clarity", () => {
  if (files.length === 0) {
    const reason = `${folder} is absent: the real Clarity files are kept outside the repository`
    console.warn(`skipping the real-file tests: ${reason}`)
    it.skip(`skipped: ${reason}`, () => {})
  }
  for (const name of files) {
    it.effect(`${name}: units add up to totals, vote types to votes`, () =>
      Effect.gen(function* () {
        const xml = fs.readFileSync(path.join(folder, name), "utf8")
        const zip = Testing.Zip.zipOf("detail.xml", [xml])
        const sim = yield* serveReports("271927", { detail: zip })
        const items = yield* read(configOf(sim.url, siteOf(name, xml)), { streams: ["results"] })
        const contests = byContest(eventsOf(items))
        assert.strictEqual(contests.size, (xml.match(/<Contest /g) ?? []).length, "one total per contest")
        for (const [key, { total, units }] of contests) {
          assert.isDefined(total, `contest ${key} has a total`)
          assert.isAbove(units.length, 0, `contest ${key} has units`)
          total!.selections.forEach((selection, i) => {
            const summed = units.reduce((sum, unit) => sum + unit.selections[i]!.votes, 0)
            const gap = fileGaps[name]?.[key]?.[i] ?? 0
            assert.strictEqual(summed + gap, selection.votes, `contest ${key}, ${selection.name}: units add up`)
          })
          for (const result of [total!, ...units]) {
            for (const selection of result.selections) {
              const types = Object.values(selection.voteTypes ?? {})
              assert.isAbove(types.length, 0, `contest ${key}, ${selection.name}: vote types`)
              assert.strictEqual(
                types.reduce((a, b) => a + b, 0),
                selection.votes,
                `contest ${key}, ${selection.name} in ${result.jurisdiction.precinct ?? result.jurisdiction.county}: vote types add up`
              )
            }
          }
        }
      })
    )
  }

  it.effect.skipIf(!files.includes("ga_atkinson_precincts_11-3.xml"))(
    "Atkinson County: markers, incumbency, party codes, precincts, amendments, the EST timestamp",
    () =>
      Effect.gen(function* () {
        const xml = fs.readFileSync(path.join(folder, "ga_atkinson_precincts_11-3.xml"), "utf8")
        const sim = yield* serveReports("1", { detail: Testing.Zip.zipOf("detail.xml", [xml]) })
        const events = eventsOf(yield* read(configOf(sim.url, siteOf("ga_", xml)), { streams: ["results"] }))
        const president = events.find((e) => e.key === "1")!.data as Result
        assert.deepStrictEqual(
          president.selections.slice(0, 2).map((s) => [s.name, s.party, s.partyCode, s.incumbent, s.votes]),
          [
            ["Donald J. Trump", "Rep", "REP", true, 2300],
            ["Joseph R. Biden", "Dem", "DEM", null, 825]
          ]
        )
        assert.strictEqual(president.updatedAt, "2020-11-06T13:05:50-05:00")
        assert.deepStrictEqual(president.jurisdiction, { state: "GA", county: "Atkinson", district: null })
        const axson = events.find((e) => e.key === "1/precinct/Axson")!.data as Result
        assert.deepStrictEqual(axson.jurisdiction, {
          state: "GA",
          county: "Atkinson",
          district: null,
          precinct: "Axson"
        })
        assert.deepStrictEqual(axson.reporting, { precinctsReporting: 1, precinctsTotal: 1, percent: 100 })
        assert.deepStrictEqual(axson.selections[0]!.voteTypes, {
          "Election Day Votes": 194,
          "Advanced Voting Votes": 257,
          "Absentee by Mail Votes": 27,
          "Provisional Votes": 1
        })
        const amendment = events.find((e) => e.key === "22")!.data as Result
        assert.strictEqual(amendment.contestKind, "measure")
        assert.deepStrictEqual(amendment.measure, { number: "1", title: "Constitutional Amendment #1" })
        assert.deepStrictEqual(
          amendment.selections.map((s) => [s.name, s.party]),
          [
            ["Yes", null],
            ["No", null]
          ]
        )
        const house = events.find((e) => e.key === "8")!.data as Result
        assert.deepStrictEqual([house.office, house.jurisdiction.district], ["State House", "176"])
      })
  )
})
