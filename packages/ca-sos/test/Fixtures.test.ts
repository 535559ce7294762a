/**
 * Every real body saved in ../shared/fixtures/ca-sos (found by walking the folder) decodes, and each of
 * its contests maps to results whose selections, totals and reporting are what the body says, read here
 * the plain way (strip the commas).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Decoding } from "@electfeed/core"
import { Effect } from "effect"
import { Mapping, Wire } from "../src/index.ts"

const folder = path.resolve(import.meta.dirname, "../../../../shared/fixtures/ca-sos")

const files = existsSync(folder)
  ? readdirSync(folder, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".json"))
      .sort()
  : []

interface RawContest {
  readonly raceTitle: string
  readonly Reporting: string
  readonly ReportingTime: string
  readonly [list: string]: unknown
}

type RawCandidates = ReadonlyArray<{ readonly Votes: string }>

type RawYesNo = ReadonlyArray<{ readonly yesVotes: string; readonly noVotes: string }>

const number = (text: string) => Number(text.replaceAll(",", ""))

// A body's own words: "96.3% (547 of 568) precincts reporting".
const reportingOf = (text: string) => {
  const [, percent, reporting, total] = /^([\d.]+)% \(([\d,]+) of ([\d,]+)\)/.exec(text)!
  return { precinctsReporting: number(reporting!), precinctsTotal: number(total!), percent: Number(percent) }
}

// Contest ids and places come from the request, which a saved file no longer has.
const nowhere: Mapping.Place = {
  key: ["fixture"],
  contestId: undefined,
  county: undefined
}

describe("real bodies in ../shared/fixtures/ca-sos", () => {
  if (files.length === 0) {
    const reason = `no real bodies at ${folder} (the shared fixtures are checked out next to the repo in CI only)`
    console.warn(`skipping the real-body tests: ${reason}`)
    it.skip(`skipped: ${reason}`, () => {})
    return
  }

  for (const file of files) {
    it.effect(file, () =>
      Effect.gen(function* () {
        const text = readFileSync(path.join(folder, file), "utf8")
        const decoded = yield* Decoding.decodeJsonText(
          Wire.Body,
          text,
          (detail, _, at) => new Error(`${at}: ${detail}`)
        )
        const raw = JSON.parse(text) as RawContest | ReadonlyArray<RawContest>
        const rawContests = Array.isArray(raw) ? raw : [raw as RawContest]
        const contests = Array.isArray(decoded) ? decoded : [decoded as Wire.Contest]
        assert.strictEqual(contests.length, rawContests.length)
        rawContests.forEach((rawContest, i) => {
          const results = Mapping.results(contests[i]!, nowhere)
          const reporting = reportingOf(rawContest.Reporting)
          for (const { data } of results) {
            assert.deepStrictEqual(data.reporting, reporting, rawContest.raceTitle)
            assert.match(data.updatedAt ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00-0[78]:00$/, rawContest.ReportingTime)
          }
          const candidates = rawContest["candidates"] as RawCandidates | undefined
          if (candidates !== undefined) {
            assert.strictEqual(results.length, 1)
            const [{ data }] = results as [Mapping.Keyed]
            assert.strictEqual(data.title, rawContest.raceTitle)
            assert.strictEqual(data.selections.length, candidates.length, rawContest.raceTitle)
            assert.strictEqual(
              data.selections.reduce((sum, s) => sum + s.votes, 0),
              candidates.reduce((sum, c) => sum + number(c.Votes), 0),
              rawContest.raceTitle
            )
            return
          }
          const list = Wire.listKeys.find((key) => key !== "candidates" && rawContest[key] !== undefined)!
          const items = rawContest[list] as RawYesNo
          assert.strictEqual(results.length, items.length, rawContest.raceTitle)
          results.forEach(({ data }, j) => {
            assert.deepStrictEqual(
              data.selections.map((s) => s.name),
              ["Yes", "No"]
            )
            assert.strictEqual(
              data.selections[0]!.votes + data.selections[1]!.votes,
              number(items[j]!.yesVotes) + number(items[j]!.noVotes)
            )
          })
        })
      })
    )
  }
})
