/**
 * `electfeed results` over the demo's store agrees with the results page: the same contests, in the
 * same order, with the same leaders and figures. And the formats themselves: groups, CSV quoting.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Feed } from "@electfeed/core"
import { DateTime, Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as Demo from "../src/Demo.ts"
import * as Results from "../src/Results.ts"
import * as Server from "../src/serve/Server.ts"
import { Store } from "../src/store/Store.ts"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { electfeed } from "./support/Cli.ts"

afterAll(cleanUp)

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i]
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      row.push(cell)
      cell = ""
    } else if (c === "\n") {
      rows.push([...row, cell])
      row = []
      cell = ""
    } else if (c !== "\r") cell += c
  }
  return rows
}

const fromHtml = (html: string) =>
  html.replace(/<[^>]*>/g, "").replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))

/** The page's contest rows as they read: key, contest, leader, and the figures behind the cells. */
const pageRows = (html: string) =>
  [...html.matchAll(/<tr data-source="([^"]*)" data-key="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)].map(
    ([, source, key, cells]) => {
      const cell = (pattern: RegExp) => pattern.exec(cells!)?.[1]
      const leader = cell(/<span class="name">([^<]*)<\/span>/)!
      return {
        source: fromHtml(source!),
        key: fromHtml(key!),
        contest: fromHtml(cell(/<th scope="row">([\s\S]*?)<\/th>/)!),
        leader: leader === "no votes yet" ? "" : fromHtml(leader),
        leaderPercent: cell(/class="pct" data-value="([^"]*)"/) ?? "",
        margin: cell(/class="margin num" data-value="([^"]*)"/)!,
        reporting: cell(/class="reporting num" data-value="([^"]*)"/)!
      }
    }
  )

describe("electfeed results", () => {
  let store: string
  let config: string
  beforeAll(async () => {
    const dir = tempDirectory("results")
    store = path.join(dir, "demo.db")
    await Effect.runPromise(Demo.run({ store, logFormat: "text" }))
    config = path.join(dir, "electfeed.yaml")
    fs.writeFileSync(config, `store:\n  url: ${store}\nsources: {}\n`)
  }, 240_000)

  // Each runs the real executable, whose start takes seconds on a busy machine.
  it("--output csv of the demo's store matches the results page: same contests, leaders and figures", {
    timeout: 120_000
  }, async () => {
    const run = await electfeed(["results", "--config", config, "--output", "csv"])
    assert.strictEqual(run.code, 0, run.stderr)
    const [header, ...csv] = parseCsv(run.stdout)
    assert.deepStrictEqual(header, [...Results.csvColumns])
    const column = (name: (typeof Results.csvColumns)[number]) => header!.indexOf(name)
    const fromCsv = csv.map((row) => ({
      source: row[column("source")]!,
      key: row[column("key")]!,
      contest: row[column("contest")]!,
      leader: row[column("leader")]!,
      leaderPercent: row[column("leader_percent")]!,
      margin: row[column("margin")]!,
      reporting: row[column("percent_reporting")]!
    }))
    assert.isAbove(fromCsv.length, 200)

    const runtime = ManagedRuntime.make(Store.layer({ url: store }))
    try {
      const html = await runtime.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const url = yield* Server.start({ port: 0 })
            return yield* Effect.promise(() => fetch(`${url}/`).then((r) => r.text()))
          })
        )
      )
      assert.deepStrictEqual(pageRows(html), fromCsv)
    } finally {
      await runtime.dispose()
    }
  })

  it("--output table is grouped as the page is; --office and --contest narrow it; ndjson has one contest a line", {
    timeout: 120_000
  }, async () => {
    const [table, one] = await Promise.all([
      electfeed(["results", "--config", config, "--office", "governor"]),
      electfeed(["results", "--config", config, "--contest", "02000000000059", "--output", "ndjson"])
    ])
    assert.strictEqual(table.code, 0, table.stderr)
    const lines = table.stdout.trimEnd().split("\n")
    assert.match(lines[0]!, /^Contest\s+Leading \(margin in points\)\s+Reporting$/)
    assert.deepStrictEqual(lines.filter((line) => !line.startsWith(" ")).slice(1), ["Statewide offices"])
    assert.deepStrictEqual(
      lines.filter((line) => line.startsWith("  ")).map((line) => line.trim().split(/\s{2,}/)[0]),
      ["Governor", "Lieutenant Governor"]
    )
    assert.strictEqual(one.code, 0, one.stderr)
    const rows = one.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
    assert.deepStrictEqual(
      rows.map((row) => [row.key, row.label, row.group]),
      [["02000000000059", "Governor", "statewide"]]
    )
  })
})

describe("Results", () => {
  const contest = (fields: Partial<Results.StoredContest["contest"]>): Results.StoredContest => ({
    source: "s",
    key: "k",
    observedAt: "2024-11-06T04:00:00.000Z",
    regressed: false,
    contest: {
      contestId: null,
      title: "T",
      office: null,
      contestKind: "candidate",
      jurisdiction: { state: "CA", county: null, district: null },
      party: null,
      reporting: { precinctsReporting: 1, precinctsTotal: 2, percent: 50 },
      updatedAt: null,
      selections: [
        { name: "A", party: null, partyCode: null, votes: 523, percent: 52.3, incumbent: null },
        { name: "B", party: null, partyCode: null, votes: 401, percent: 40.1, incumbent: null }
      ],
      ...fields
    }
  })

  it("sums up the leader and the margin in points, without float noise", () => {
    const row = Results.summarize(contest({}))
    assert.deepStrictEqual([row.leader?.name, row.margin, row.group], ["A", 12.2, "statewide"])
    assert.strictEqual(Results.summarize(contest({ selections: [] })).leader, null)
  })

  it("names the first contests that changed in a poll line, with leader and percent reporting", () => {
    const event = (title: string) =>
      Feed.makeEvent({
        source: "ca-sos",
        stream: "contests",
        kind: "ContestResult",
        key: title,
        observedAt: DateTime.makeUnsafe(0),
        provenance: { url: "https://x.example/", sha256: "0".repeat(64), connector: "x@0" },
        data: { ...contest({ title: `${title} - Statewide Results` }).contest }
      })
    const marked = (title: string, change: "changed" | "removed"): Feed.FeedEvent => ({ ...event(title), change })
    assert.strictEqual(
      Results.changedContests([marked("Governor", "changed"), marked("Controller", "removed")], 59, 2),
      "Governor: A 52.3%, 50.0% reporting; Controller - Statewide Results: removed; and 57 more"
    )
    assert.strictEqual(Results.changedContests([], 3), "")
  })

  it("quotes CSV cells and defuses cells a spreadsheet would run as formulas", () => {
    const [, line] = Results.csv([Results.summarize(contest({ title: `=HYPERLINK("x"), "y"` }))])
    assert.include(line, `"'=HYPERLINK(""x""), ""y"""`)
  })
})
