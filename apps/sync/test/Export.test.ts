/**
 * `electfeed export --format nist-cdf` over stores filled from the Clarity and CA SOS simulators: the
 * report is valid against the NIST SP 1500-100 v2 JSON schema (a fixture written from the published
 * one, checked with Ajv, every id reference resolved by the schema's own `refTypes`), and its vote
 * counts are the stored ones: per unit the ways of voting add up to the total, the counties add up to
 * the state, and a contest Clarity stores in two streams is counted once.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as CaSos from "@electfeed/ca-sos"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import * as Clarity from "@electfeed/clarity"
import * as ClarityTesting from "@electfeed/clarity/testing"
import { Feed, Source } from "@electfeed/core"
import { Ajv } from "ajv"
import formats from "ajv-formats"
import { Duration, Effect } from "effect"
import { afterAll } from "vitest"
import type * as Cdf from "../src/export/Cdf.ts"
import * as Export from "../src/export/Command.ts"
import * as Ids from "../src/export/Ids.ts"
import * as NistCdf from "../src/export/NistCdf.ts"
import * as Sync from "../src/Sync.ts"
import { Store } from "../src/store/Store.ts"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { electfeed } from "./support/Cli.ts"

afterAll(cleanUp)

type Json = { readonly [key: string]: any }

/** Every object of a document that has an `@id`, by id (a repeated id fails the test). */
const objectsById = (document: unknown): Map<string, Json> => {
  const found = new Map<string, Json>()
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (typeof value !== "object" || value === null) return
    const id = (value as Json)["@id"]
    if (typeof id === "string") {
      assert.isFalse(found.has(id), `@id ${id} is used twice`)
      found.set(id, value as Json)
    }
    Object.values(value).forEach(walk)
  }
  walk(document)
  return found
}

const validator = (() => {
  const ajv = new Ajv({ allErrors: true, strict: true })
  formats.default(ajv)
  const indexes = new WeakMap<object, Map<string, Json>>()
  ajv.addKeyword({
    keyword: "refTypes",
    type: "string",
    schemaType: "array",
    // An id refers to an object of the document, of one of the types the schema names.
    validate: (types: ReadonlyArray<string>, id: string, _schema?: unknown, context?: { rootData: object }) => {
      const root = context!.rootData
      let index = indexes.get(root)
      if (index === undefined) indexes.set(root, (index = objectsById(root)))
      return types.includes(index.get(id)?.["@type"])
    }
  })
  const schemaFile = path.join(import.meta.dirname, "fixtures", "nist-v2-results.schema.json")
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")))
})()

const assertValid = (report: unknown) => {
  const valid = validator(report)
  assert.isTrue(valid, JSON.stringify(validator.errors?.slice(0, 5), null, 2))
  for (const id of objectsById(report).keys()) assert.match(id, Ids.pattern)
}

const options = { generatedDate: "2026-12-01T18:00:00.000Z", vendorApplicationId: "@electfeed/sync@test" }

const fast = { rateLimit: { limit: 1000, window: "1 second" } }

/** Syncs `entries` once into a new SQLite store; its path, and the stored contest results. */
const storeOf = (raw: ReadonlyArray<readonly [Source.Any, unknown]>) =>
  Effect.gen(function* () {
    const url = path.join(tempDirectory("export"), "feed.db")
    const entries = yield* Effect.forEach(raw, ([source, config]) =>
      Effect.map(Source.decodeConfig(source, config), (decoded) => ({
        source,
        config: decoded,
        every: Duration.minutes(1)
      }))
    )
    const results = yield* Effect.gen(function* () {
      const reports = yield* Sync.syncOnce(entries)
      for (const report of reports) assert.isUndefined(report.error, report.error?.message)
      return yield* Export.stored(undefined)
    }).pipe(Effect.provide(Store.layer({ url })), Effect.provide(Source.layer))
    return { url, results }
  })

const contestsOf = (report: Cdf.ElectionReport) => report.Election.flatMap((e) => e.Contest)

const totalAt = (selection: Cdf.BallotSelection, unit: string) =>
  selection.VoteCounts.find((c) => c.GpUnitId === unit && c.Type === "total")?.Count

describe("electfeed export --format nist-cdf", () => {
  it("the schema fixture holds reports to the format: what it forbids is refused", () => {
    const result = (county: string | null, votes: number): NistCdf.StoredContest => ({
      source: "clarity",
      stream: "results",
      key: county === null ? "1" : `1/county/${county}`,
      observedAt: "2026-11-04T04:00:00Z",
      data: {
        contestId: "1",
        title: "Governor",
        office: "Governor",
        contestKind: "candidate",
        jurisdiction: { state: "GA", county, district: null },
        party: null,
        reporting: { precinctsReporting: 1, precinctsTotal: 2, percent: 50 },
        updatedAt: "2026-11-03T21:00:00-05:00",
        selections: [
          {
            name: "Ann Lee",
            party: "Whig",
            partyCode: null,
            votes,
            percent: 100,
            incumbent: null,
            voteTypes: { "Election Day Votes": votes - 1, "Other Votes": 1 }
          }
        ]
      }
    })
    const report = NistCdf.report([result(null, 10), result("Pine & Cedar", 10)], options)
    assertValid(report)
    assert.strictEqual(report.Status, "unofficial-partial")
    assert.deepStrictEqual(
      report.Party.map((p) => p.Name.Text[0]!.Content),
      ["Whig"]
    )
    const broken: ReadonlyArray<(r: { [key: string]: any }) => void> = [
      (r) => delete r["Issuer"],
      (r) => delete r["Election"][0]["Contest"][0]["VotesAllowed"],
      (r) => (r["Election"][0]["Contest"][0]["BallotSelection"][0]["VoteCounts"][0]["GpUnitId"] = "ru-nowhere"),
      (r) => (r["Election"][0]["Contest"][0]["BallotSelection"][0]["CandidateIds"] = [r["GpUnit"][0]["@id"]]),
      (r) => (r["Election"][0]["Contest"][0]["BallotSelection"][0]["VoteCounts"][0]["Type"] = "mail"),
      (r) => (r["GpUnit"][0]["Color"] = "ff0000"),
      (r) => (r["GeneratedDate"] = "yesterday")
    ]
    for (const [i, breaks] of broken.entries()) {
      const copy = structuredClone(report) as { [key: string]: any }
      breaks(copy)
      assert.isFalse(validator(copy), `change ${i} is refused`)
    }
  })

  it.effect("a Clarity state site by county, with vote types: valid, and every count adds up", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const sim = yield* ClarityTesting.serve()
        const { results } = yield* storeOf([
          [Clarity.source, { baseUrl: sim.url, site: "GA", election: "115903", level: "county", ...fast }]
        ])
        // Both streams are stored: the contests of summary.csv again, without units.
        assert.deepStrictEqual([...new Set(results.map((r) => r.stream))].sort(), ["results", "summary"])
        const report = NistCdf.report(results, options)
        assertValid(report)
        assert.strictEqual(report.Format, "summary-contest")
        assert.strictEqual(report.Status, "unofficial-complete")
        const units = new Map(report.GpUnit.map((u) => [u["@id"], u]))
        const counties = report.GpUnit.filter((u) => u.Type === "county")
        assert.deepStrictEqual(counties.map((u) => u.Name).sort(), ["Abernathy", "Birchwood", "Coalfield"])
        const state = report.GpUnit.find((u) => u.Type === "state")!
        assert.deepStrictEqual([...state.ComposingGpUnitIds!].sort(), counties.map((u) => u["@id"]).sort())

        const totals = results.filter((r) => r.stream === "results" && r.data.jurisdiction.county === null)
        const contests = contestsOf(report)
        // Each contest once, though two streams hold it.
        assert.deepStrictEqual(
          contests.map((c) => c.Name),
          totals.map((r) => r.data.title)
        )
        const countTypes = new Set<string>()
        for (const [contest, stored] of contests.map((c, i) => [c, totals[i]!] as const)) {
          assert.strictEqual(contest.SubUnitsReported, stored.data.reporting.precinctsReporting)
          for (const [selection, choice] of contest.BallotSelection.map(
            (s, i) => [s, stored.data.selections[i]!] as const
          )) {
            assert.strictEqual(totalAt(selection, contest.ElectoralDistrictId), choice.votes, `${contest.Name}`)
            const byUnit = Map.groupBy(selection.VoteCounts, (c) => c.GpUnitId)
            for (const [unit, counts] of byUnit) {
              const total = counts.find((c) => c.Type === "total")!.Count
              const ways = counts.filter((c) => c.Type !== "total")
              assert.isAtLeast(ways.length, 4)
              assert.strictEqual(
                ways.reduce((n, c) => n + c.Count, 0),
                total,
                `${contest.Name}, ${units.get(unit)?.Name}`
              )
              for (const c of ways) countTypes.add(c.Type)
            }
            const countyTotal = selection.VoteCounts.filter(
              (c) => c.Type === "total" && units.get(c.GpUnitId)?.Type === "county"
            ).reduce((n, c) => n + c.Count, 0)
            assert.strictEqual(countyTotal, choice.votes, `${contest.Name}: the counties add up to the total`)
          }
        }
        assert.deepStrictEqual([...countTypes].sort(), ["absentee-mail", "early", "election-day", "provisional"])

        const governor = contests.find((c) => c.Name === "Governor")!
        assert.strictEqual(governor["@type"], "ElectionResults.CandidateContest")
        assert.strictEqual(governor.ElectoralDistrictId, state["@id"])
        const house = contests.find((c) => c.Name === "US House District 14")!
        assert.deepInclude(units.get(house.ElectoralDistrictId), {
          Type: "congressional",
          Name: "US House District 14"
        })
        const amendment = contests.find((c) => c.Name === "Constitutional Amendment #1")!
        assert.strictEqual(amendment["@type"], "ElectionResults.BallotMeasureContest")
        assert.deepStrictEqual(
          amendment.BallotSelection.map((s) => (s as Json)["Selection"].Text[0].Content),
          ["Yes", "No"]
        )
        const byId = objectsById(report)
        const vance = byId.get((governor.BallotSelection[0] as Json)["CandidateIds"][0])!
        assert.strictEqual(vance["BallotName"].Text[0].Content, "Marisol Vance")
        assert.strictEqual(byId.get(vance["PartyId"])?.["Abbreviation"], "REP")
      })
    )
  )

  it.effect("a Clarity county site by precinct: precinct-level, precincts inside their county", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const sim = yield* ClarityTesting.serve()
        const { results } = yield* storeOf([
          [Clarity.source, { baseUrl: sim.url, site: "GA/Abernathy", election: "115903", level: "precinct", ...fast }]
        ])
        const report = NistCdf.report(results, { ...options, electionDate: "2026-11-03", electionName: "General" })
        assertValid(report)
        assert.strictEqual(report.Format, "precinct-level")
        assert.deepInclude(report.Election[0]!, { StartDate: "2026-11-03", EndDate: "2026-11-03" })
        const county = report.GpUnit.find((u) => u.Type === "county")!
        const precincts = report.GpUnit.filter((u) => u.Type === "precinct")
        assert.isAbove(precincts.length, 1)
        assert.deepStrictEqual([...county.ComposingGpUnitIds!].sort(), precincts.map((u) => u["@id"]).sort())
        for (const contest of contestsOf(report)) {
          for (const selection of contest.BallotSelection) {
            const top = totalAt(selection, county["@id"]) ?? totalAt(selection, contest.ElectoralDistrictId)!
            const inPrecincts = selection.VoteCounts.filter(
              (c) => c.Type === "total" && precincts.some((p) => p["@id"] === c.GpUnitId)
            ).reduce((n, c) => n + c.Count, 0)
            assert.strictEqual(inPrecincts, top, `${contest.Name}: the precincts add up to the county`)
          }
        }
      })
    )
  )

  it.effect("CA SOS: every contest, measure and retention once, valid, with the stored votes", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const sim = yield* CaSosTesting.serve()
        const { results } = yield* storeOf([[CaSos.source, { baseUrl: sim.url, ...fast }]])
        const report = NistCdf.report(results, options)
        assertValid(report)
        const contests = contestsOf(report)
        assert.strictEqual(contests.length, results.length)
        const types = new Set(contests.map((c) => c["@type"]))
        assert.sameMembers(
          [...types],
          [
            "ElectionResults.CandidateContest",
            "ElectionResults.BallotMeasureContest",
            "ElectionResults.RetentionContest"
          ]
        )
        // The presidential primaries make it a primary, each contest with its party.
        assert.strictEqual(report.Election[0]!.Type, "primary")
        const libertarian = contests.find((c) => c.Name.startsWith("President Libertarian"))!
        assert.deepStrictEqual(libertarian.PrimaryPartyIds, ["party-lib"])
        for (const [contest, stored] of contests.map((c, i) => [c, results[i]!] as const)) {
          assert.strictEqual(contest.Name, stored.data.title)
          assert.deepStrictEqual(
            contest.BallotSelection.map((s) => totalAt(s, contest.ElectoralDistrictId)),
            stored.data.selections.map((s) => s.votes)
          )
        }
        assert.isTrue(report.Party.some((p) => p.Abbreviation === "DEM"))
      })
    )
  )

  // Runs the real executable, whose start takes seconds on a busy machine.
  it.effect(
    "the command writes the report of a store to --output; `read clarity` takes the site's flags",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const sim = yield* ClarityTesting.serve()
          const { url } = yield* storeOf([
            [Clarity.source, { baseUrl: sim.url, site: "GA", election: "115903", level: "county", ...fast }]
          ])
          const dir = path.dirname(url)
          const config = path.join(dir, "electfeed.yaml")
          fs.writeFileSync(config, `store:\n  url: ${url}\nsources: {}\n`)
          const output = path.join(dir, "report.json")
          const exported = yield* Effect.promise(() =>
            electfeed(["export", "--config", config, "--format", "nist-cdf", "--output", output])
          )
          assert.strictEqual(exported.code, 0, exported.stderr)
          const report = JSON.parse(fs.readFileSync(output, "utf8")) as Cdf.ElectionReport
          assertValid(report)
          assert.strictEqual(contestsOf(report).length, 5)

          const read = yield* Effect.promise(() =>
            electfeed([
              "read",
              "clarity",
              "--base-url",
              sim.url,
              "--site",
              "GA",
              "--election",
              "115903",
              "--level",
              "county"
            ])
          )
          assert.strictEqual(read.code, 0, read.stderr)
          const events = read.stdout
            .trim()
            .split("\n")
            .map((line) => Feed.decodeEvent(JSON.parse(line)))
          const decoded = yield* Effect.all(events)
          assert.isTrue(decoded.every((e) => e.source === "clarity" && e.kind === "ContestResult"))
          assert.include(
            decoded.map((e) => e.key),
            "1/county/Abernathy"
          )
        })
      ),
    { timeout: 120_000 }
  )
})
