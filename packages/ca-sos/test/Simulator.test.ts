import { existsSync, readdirSync } from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Compose, type Feed, type Source } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Duration, Effect, Stream } from "effect"
import { type Config, source } from "../src/index.ts"
import { Election, serve, Timeline } from "../src/testing/index.ts"

const unlimited = { limit: 10_000, window: Duration.seconds(1) }

const read = (config: Config.Config) =>
  Conformance.withVirtualTime(Conformance.readAll(source, { rateLimit: unlimited, ...config }))

const events = (items: ReadonlyArray<Source.ReadItem>) =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))

const get = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, text: await response.text() }
  })

const queryUrl = (base: string, ids: ReadonlyArray<string>, format = "") =>
  `${base}/returns/query?r=${encodeURIComponent(JSON.stringify(ids))}${format}`

const ids = Election.contests.flatMap((contest) => (contest.code === undefined ? [] : [`${contest.code}59`]))

describe("Simulator", () => {
  it.effect("replays election night: every poll sees changes, and one poll sees the test data's reset", () =>
    Effect.gen(function* () {
      const sim = yield* serve({ timeline: true })
      assert.strictEqual(sim.steps, Timeline.moments.length)
      const known = Compose.memoryState()
      const polls: Array<{ readonly changed: ReadonlyArray<Feed.FeedEvent>; readonly updatedAt: string | null }> = []
      const leaders: Array<Map<string, string>> = []
      for (let poll = 0; poll < sim.steps; poll++) {
        assert.strictEqual(sim.position, poll)
        const seen = events(yield* read({ baseUrl: sim.url }))
        const changed = yield* Stream.runCollect(Compose.changes(known)(Stream.fromIterable(seen)))
        const first = seen[0]
        polls.push({ changed, updatedAt: first?.kind === "ContestResult" ? first.data.updatedAt : null })
        leaders.push(
          new Map(
            seen.flatMap((event) =>
              event.kind === "ContestResult" && event.data.contestKind === "candidate"
                ? [[event.key, [...event.data.selections].sort((a, b) => b.votes - a.votes)[0]!.name] as const]
                : []
            )
          )
        )
        sim.step()
      }
      assert.strictEqual(sim.position, sim.steps - 1, "step() stays on the last update")
      sim.reset()
      assert.strictEqual(sim.position, 0, "reset() goes back to the first update")
      assert.isTrue(polls[0]!.changed.every((event) => event.change === "added"))
      for (const [i, poll] of polls.entries()) {
        assert.isAbove(poll.changed.length, 0, `poll ${i} saw no change`)
      }
      const regressed = polls.map((poll) => poll.changed.filter((event) => event.regressed === true).length)
      assert.strictEqual(regressed.filter((n) => n > 0).length, 1, `regressions by poll: ${regressed}`)
      assert.isAbove(regressed[1]!, 0, "the reset after the test data regressed nothing")
      const [early, last] = [leaders[2]!, leaders.at(-1)!]
      assert.isTrue(
        [...last].some(([key, leader]) => early.get(key) !== leader),
        "no lead changed hands during the night"
      )
      // The test data is from before daylight saving time ended, the live count after.
      assert.deepStrictEqual(
        polls.map((poll) => poll.updatedAt?.slice(-6)),
        ["-07:00", "-08:00", "-08:00", "-08:00", "-08:00", "-08:00", "-08:00"]
      )
    })
  )

  it.effect("answers the batch query in the order asked, 500 past ten ids, 400 for CSV, 404 for an unknown id", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const ten = ids.slice(0, 10).reverse()
      const answer = yield* get(queryUrl(sim.url, ten))
      assert.strictEqual(answer.status, 200)
      const titles = (JSON.parse(answer.text) as Array<{ raceTitle: string }>).map((c) => c.raceTitle)
      assert.deepStrictEqual(
        titles,
        ten.map((id) => Election.contests.find((c) => `${c.code}59` === id)!.title)
      )
      assert.strictEqual((yield* get(queryUrl(sim.url, ids.slice(0, 11)))).status, 500)
      assert.strictEqual((yield* get(queryUrl(sim.url, ten, "&f=csv"))).status, 400)
      assert.strictEqual((yield* get(queryUrl(sim.url, ["11000099000059"]))).status, 404)
      assert.strictEqual((yield* get(`${sim.url}/returns/query?r=not-json`)).status, 500)
      assert.strictEqual((yield* get(`${sim.url}/returns/mayor`)).status, 404)
      assert.strictEqual((yield* get(`${sim.url}/returns/us-rep/district/all/county/lake`)).status, 404)
    })
  )

  it.effect("writes the API's text formats", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const governor = JSON.parse((yield* get(`${sim.url}/returns/governor`)).text)
      assert.match(governor.Reporting, /^100% \(\d{2},\d{3} of \d{2},\d{3}\) precincts reporting$/)
      assert.isTrue(governor.candidates.some((c: { Votes: string }) => /^\d{1,3}(,\d{3})+$/.test(c.Votes)))
      assert.strictEqual(governor.candidates.length, 61)
      const measures = JSON.parse((yield* get(`${sim.url}/returns/ballot-measures`)).text)
      assert.match(measures.Reporting, /^100\.0% /)
      assert.match(measures["ballot-measures"][0].Number, /^0\d$/)
      assert.match(measures["ballot-measures"][0].yesVotes, /^\d{4,}$/)
      const csv = (yield* get(`${sim.url}/returns/governor?f=csv`)).text
      assert.strictEqual(csv.split("\r\n")[0], "raceTitle,Reporting,ReportingTime,Name,Party,Votes,Percent,incumbent")
      assert.include(csv, '"Rosalind ""Roz"" Okafor"')
    })
  )

  const shared = path.resolve(import.meta.dirname, "../../../../shared/fixtures/ca-sos")
  if (!existsSync(shared)) {
    it.skip(`serves a folder of real bodies: skipped, no folder at ${shared} (present in CI only)`, () => {})
    return
  }

  it.effect("serves a folder of real bodies, its captures as the timeline", () =>
    Effect.gen(function* () {
      const sim = yield* serve({ data: { folder: shared }, timeline: true })
      const captures = (prefix: string) =>
        readdirSync(shared, { recursive: true, encoding: "utf8" }).filter((name) =>
          path.basename(name).startsWith(prefix)
        )
      // Captures of one resource: the governor's, every ballot measures body, assembly district 1's.
      assert.strictEqual(
        sim.steps,
        Math.max(
          captures("governor__").length,
          captures("ballot-measures__").length + captures("california_props_").length,
          captures("state-assembly__").length + captures("california_cands_").length
        )
      )
      const reporting: Array<number> = []
      for (let poll = 0; poll < sim.steps; poll++) {
        const items = yield* read({
          baseUrl: sim.url,
          endpoints: ["/returns/governor", "/returns/supreme-court", "/returns/ballot-measures"],
          contests: ["13000001000059", "13000002000059", "13000003000059", "12000001000059"]
        })
        const assembly1 = events(items).filter((e) => e.key === "13000001000059")
        assert.strictEqual(assembly1.length, 1)
        if (assembly1[0]!.kind === "ContestResult") reporting.push(assembly1[0]!.data.reporting.precinctsReporting)
        sim.step()
      }
      // The first capture of assembly district 1 is a 2022 final; later ones are 2024's test data, its
      // reset to zero, and the count of election night.
      assert.isTrue(reporting.includes(0), `precincts reporting by poll: ${reporting}`)
      assert.isAbove(new Set(reporting).size, 2, `precincts reporting by poll: ${reporting}`)
    })
  )
})
