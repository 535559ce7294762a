import { assert, describe, it } from "@effect/vitest"
import type { Feed } from "@electfeed/core"
import { afterAll, beforeAll } from "vitest"
import * as ReadOutput from "../src/ReadOutput.ts"
import * as Results from "../src/Results.ts"
import { electfeed } from "./support/Cli.ts"
import { startCaSos } from "./support/Simulators.ts"

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  caSos = await startCaSos()
})
afterAll(() => caSos.close())

describe("electfeed read --output", () => {
  it("csv and table sum up the contests read, as `results` does; ndjson stays the default", async () => {
    const args = ["read", "ca-sos", "--base-url", caSos.sim.url, "--endpoint", "/returns/governor", "--county", "lake"]
    const ndjson = await electfeed(args)
    assert.strictEqual(ndjson.code, 0)
    const events: Array<Feed.EventOf<"ContestResult">> = ndjson.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
    assert.isAbove(events.length, 0)
    const expected = Results.csv(events.map(Results.summarizeEvent))
    const csv = await electfeed([...args, "--output", "csv"])
    assert.strictEqual(csv.code, 0)
    assert.strictEqual(csv.stderr, "")
    // observedAt differs between the two reads; everything else is the same.
    const withoutTime = (lines: ReadonlyArray<string>) => lines.map((line) => line.replace(/,[^,]*Z(,|$)/, ",$1"))
    assert.deepStrictEqual(withoutTime(csv.stdout.trimEnd().split("\n")), withoutTime(expected))
    const table = await electfeed([...args, "--output", "table"])
    assert.strictEqual(table.code, 0)
    assert.include(table.stdout, "Reporting")
    assert.include(table.stdout, events[0]!.data.title.replace(/ - (Statewide|Districtwide) Results$/, ""))
    const wrong = await electfeed([...args, "--output", "xml"])
    assert.strictEqual(wrong.code, 2)
  })

  it("other events become rows of their fields, nested values as JSON and formulas made inert", () => {
    const event = {
      source: "s",
      stream: "candidates",
      kind: "Candidate",
      key: "c1",
      observedAt: "2026-11-03T00:00:00.000Z",
      provenance: { url: "http://127.0.0.1/x", sha256: "0".repeat(64), connector: "t@0.0.0" },
      data: { name: '=HYPERLINK("x")', party: "Dem", offices: ["Governor"] }
    } as unknown as Feed.FeedEvent
    const csv = ReadOutput.lines([event], "csv")
    assert.deepStrictEqual(csv, [
      "kind,key,name,party,offices",
      `Candidate,c1,"'=HYPERLINK(""x"")",Dem,"[""Governor""]"`
    ])
    const table = ReadOutput.lines([event], "table")
    assert.strictEqual(table.length, 2)
    assert.match(table[0]!, /^kind\s+key\s+name\s+party\s+offices$/)
  })
})
