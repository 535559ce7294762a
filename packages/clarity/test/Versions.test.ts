/**
 * Election night on the simulator: an unchanged `current_ver.txt` downloads nothing and emits nothing; a
 * new version is downloaded and read; the summary agrees with the detail.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Feed, Source } from "@electfeed/core"
import { Timeline } from "@electfeed/core/simulator"
import { Effect } from "effect"
import * as Testing from "../src/testing/index.ts"
import { configOf, eventsOf, read } from "./support.ts"

const lastCheckpoints = (items: ReadonlyArray<Source.ReadItem>) => {
  const found: Record<string, Source.ReadItem & { _tag: "Checkpoint" }> = {}
  for (const item of items) if (item._tag === "Checkpoint") found[item.stream] = item
  return Object.fromEntries(Object.entries(found).map(([stream, item]) => [stream, item.state]))
}

const votesOf = (event: Feed.FeedEvent) =>
  event.kind === "ContestResult" ? event.data.selections.map((s) => `${s.name} ${s.votes}`) : []

describe("versions", () => {
  it.effect("an unchanged current_ver.txt downloads nothing and emits nothing; the next version is read", () =>
    Effect.gen(function* () {
      const timeline = Timeline.make(Testing.Election.night)
      timeline.advance()
      const sim = yield* Testing.serve({ timeline })
      const config = configOf(sim.url, { site: "GA", election: Testing.Election.election.id })
      const first = yield* read(config)
      assert.isAbove(eventsOf(first).length, 0)
      const zips = () => sim.requests.filter((r) => r.path.endsWith(".zip")).map((r) => r.path)
      assert.deepStrictEqual(zips(), [
        "/GA/115903/318251/reports/detailxml.zip",
        "/GA/115903/318251/reports/summary.zip"
      ])

      const before = sim.requests.length
      const again = yield* read(config, { checkpoints: lastCheckpoints(first) })
      assert.deepStrictEqual(eventsOf(again), [], "the unchanged version emitted events")
      assert.deepStrictEqual(
        sim.requests.slice(before).map((r) => r.path),
        ["/GA/115903/current_ver.txt", "/GA/115903/current_ver.txt"],
        "an unchanged version asked for more than current_ver.txt"
      )

      timeline.advance()
      const next = yield* read(config, { checkpoints: lastCheckpoints(again) })
      assert.deepStrictEqual(zips().slice(2), [
        "/GA/115903/318307/reports/detailxml.zip",
        "/GA/115903/318307/reports/summary.zip"
      ])
      const governor = (items: ReadonlyArray<Source.ReadItem>) =>
        eventsOf(items).find((e) => e.stream === "results" && e.key === "1")!
      assert.notDeepEqual(votesOf(governor(next)), votesOf(governor(first)), "the count moved on")
      assert.strictEqual((governor(next).data as Feed.ContestResult).updatedAt, "2026-11-03T23:12:40-05:00")
    })
  )

  it.effect("summary.csv's totals are detail.xml's, at every version of the night", () =>
    Effect.gen(function* () {
      const timeline = Timeline.make(Testing.Election.night)
      const sim = yield* Testing.serve({ timeline })
      const config = configOf(sim.url, { site: "GA/Abernathy", election: Testing.Election.election.id, level: "state" })
      for (;;) {
        const events = eventsOf(yield* read(config))
        const totals = (stream: string) =>
          events
            .filter((e) => e.stream === stream)
            .map((e) => {
              const data = e.data as Feed.ContestResult
              return [data.title, data.reporting.precinctsReporting, data.reporting.precinctsTotal, ...votesOf(e)]
            })
        assert.isAbove(totals("results").length, 0)
        assert.deepStrictEqual(totals("summary"), totals("results"), `version ${timeline.current.number}`)
        if (timeline.atEnd) break
        timeline.advance()
      }
    })
  )
})
