import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Option, Stream } from "effect"
import { Compose, Feed, Source, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"

const contest = (key: string, votes: ReadonlyArray<number>, reporting = 10) =>
  Feed.makeEvent({
    source: "ca-sos",
    stream: "contests",
    kind: "ContestResult",
    key,
    observedAt: DateTime.makeUnsafe(0),
    provenance: { url: "https://x", sha256: "0".repeat(64), connector: "ca-sos@0.1.0" },
    data: {
      contestId: key,
      title: key,
      office: null,
      contestKind: "candidate",
      jurisdiction: { state: "CA", county: null, district: null },
      party: null,
      reporting: { precinctsReporting: reporting, precinctsTotal: 100, percent: reporting },
      updatedAt: null,
      selections: votes.map((v, i) => ({
        name: `C${i}`,
        party: null,
        partyCode: null,
        votes: v,
        percent: 0,
        incumbent: null
      }))
    }
  })

describe("Compose", () => {
  it.effect("merges reads and keeps the others going when one source fails", () =>
    Effect.gen(function* () {
      const failing = Stream.make(Source.event(contest("x", [1]))).pipe(
        Stream.concat(Stream.fail(new SourceError.NotFound({ source: "b", url: "https://b/x" })))
      )
      const merged = yield* Compose.merge([
        { source: "a", items: Stream.fromIterable([1, 2, 3].map((n) => Source.event(contest(`a${n}`, [n])))) },
        { source: "b", items: failing }
      ]).pipe(Stream.runCollect)
      const fromA = merged.filter((m) => m.source === "a" && m._tag === "Item")
      assert.strictEqual(fromA.length, 3)
      const failed = merged.find((m) => m._tag === "Failed")
      assert.strictEqual(failed?._tag === "Failed" && failed.error._tag, "NotFound")
    })
  )

  it.effect("reads no more sources at once than allowed", () =>
    Effect.gen(function* () {
      let running = 0
      let peak = 0
      const read = (source: string) => ({
        source,
        items: Stream.fromEffect(
          Effect.acquireUseRelease(
            Effect.sync(() => {
              running++
              peak = Math.max(peak, running)
            }),
            () => Effect.sleep("10 millis").pipe(Effect.as(Source.checkpoint("s", null))),
            () => Effect.sync(() => void running--)
          )
        )
      })
      const merged = yield* Compose.merge(["a", "b", "c", "d"].map(read), { concurrency: 2 }).pipe(
        Stream.runCollect,
        withVirtualTime
      )
      assert.strictEqual(merged.length, 4)
      assert.strictEqual(peak, 2)
    })
  )

  it("tells added, changed, unchanged and regressed apart", () => {
    const first = contest("k", [10, 20])
    assert.deepStrictEqual(
      Option.map(Compose.difference(undefined, first), (d) => [d.change, d.regressed]),
      Option.some(["added", false])
    )
    const known = { hash: Feed.contentHash(first.data), data: first.data }
    assert.isTrue(Option.isNone(Compose.difference(known, contest("k", [10, 20]))))
    assert.deepStrictEqual(
      Option.map(Compose.difference(known, contest("k", [15, 20], 20)), (d) => [d.change, d.regressed]),
      Option.some(["changed", false])
    )
    assert.deepStrictEqual(
      Option.map(Compose.difference(known, contest("k", [0, 0], 0)), (d) => [d.change, d.regressed]),
      Option.some(["changed", true])
    )
    assert.deepStrictEqual(
      Option.map(Compose.difference(known, contest("k", [10, 20], 5)), (d) => [d.change, d.regressed]),
      Option.some(["changed", true]),
      "fewer precincts reporting is a regression too"
    )
  })

  it.effect("keeps only changes, marked, and remembers what it saw", () =>
    Effect.gen(function* () {
      const state = Compose.memoryState()
      const poll = (events: ReadonlyArray<Feed.FeedEvent>) =>
        Stream.fromIterable(events).pipe(Compose.changes(state), Stream.runCollect)
      const first = yield* poll([contest("a", [1]), contest("b", [2])])
      assert.deepStrictEqual(
        first.map((e) => [e.key, e.change]),
        [
          ["a", "added"],
          ["b", "added"]
        ]
      )
      assert.strictEqual((yield* poll([contest("a", [1]), contest("b", [2])])).length, 0)
      const third = yield* poll([contest("a", [5]), contest("b", [0], 0)])
      assert.deepStrictEqual(
        third.map((e) => [e.key, e.change, e.regressed]),
        [
          ["a", "changed", undefined],
          ["b", "changed", true]
        ]
      )
    })
  )
})
