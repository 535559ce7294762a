import { assert, describe, it } from "@effect/vitest"
import { SourceError } from "@electfeed/core"
import { DateTime, Effect } from "effect"
import type { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, rowCounts } from "./support/Backends.ts"
import { contest } from "./support/Events.ts"

afterAll(cleanUp)

const counts = Effect.map(rowCounts("feed_entities", "contest_history", "source_checkpoints", "skipped_rows"), (n) => ({
  entities: n.feed_entities,
  history: n.contest_history,
  checkpoints: n.source_checkpoints,
  skipped: n.skipped_rows
}))

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `Store on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const withStore = <A, E>(effect: Effect.Effect<A, E, Store | SqlClient.SqlClient>) =>
        Effect.suspend(() => effect.pipe(Effect.provide(Store.layer(freshStore(backend.name)))))

      it.effect("stores new entities, their history and checkpoints in one batch", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const written = yield* store.write("ca-sos", {
              events: [contest("a", [10, 20], 5), contest("b", [1], 1)],
              skipped: [],
              checkpoints: [{ stream: "contests", state: { round: 1 } }]
            })
            assert.deepStrictEqual(
              written.changes.map((e) => [e.key, e.change]),
              [
                ["a", "added"],
                ["b", "added"]
              ]
            )
            assert.deepStrictEqual(yield* counts, { entities: 2, history: 2, checkpoints: 1, skipped: 0 })
            assert.deepStrictEqual(yield* store.checkpoints("ca-sos"), { contests: { round: 1 } })
            const [a] = yield* store.entities("ca-sos", "ContestResult")
            assert.strictEqual(a!.key, "a")
            assert.deepStrictEqual(
              (a!.data as { selections: Array<{ votes: number }> }).selections.map((s) => s.votes),
              [10, 20]
            )
          })
        )
      )

      it.effect("writes nothing when nothing changed, and one history row per changed contest", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const batch = {
              events: [contest("a", [10, 20], 5), contest("b", [1], 1)],
              skipped: [],
              checkpoints: [{ stream: "contests", state: { round: 1 } }]
            }
            yield* store.write("ca-sos", batch)
            const before = yield* store.entities("ca-sos")
            const again = yield* store.write("ca-sos", {
              ...batch,
              events: [contest("a", [10, 20], 5, 1), contest("b", [1], 1, 1)]
            })
            assert.strictEqual(again.changes.length, 0)
            assert.strictEqual(again.unchanged, 2)
            assert.deepStrictEqual(yield* store.entities("ca-sos"), before, "an unchanged poll rewrote rows")
            assert.deepStrictEqual(yield* counts, { entities: 2, history: 2, checkpoints: 1, skipped: 0 })
            const changed = yield* store.write("ca-sos", {
              events: [contest("a", [15, 22], 7, 2), contest("b", [1], 1, 2)],
              skipped: [],
              checkpoints: [{ stream: "contests", state: { round: 2 } }]
            })
            assert.deepStrictEqual(
              changed.changes.map((e) => [e.key, e.change]),
              [["a", "changed"]]
            )
            assert.deepStrictEqual(yield* counts, { entities: 2, history: 3, checkpoints: 1, skipped: 0 })
            const history = yield* store.history("ca-sos", "a")
            assert.deepStrictEqual(
              history.map((h) => [h.change, h.precinctsReporting, h.selections.map((s) => s.votes)]),
              [
                ["added", 5, [10, 20]],
                ["changed", 7, [15, 22]]
              ]
            )
          })
        )
      )

      it.effect("stores and flags a regression", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            yield* store.write("ca-sos", { events: [contest("a", [500, 400], 90)], skipped: [], checkpoints: [] })
            const reset = yield* store.write("ca-sos", {
              events: [contest("a", [0, 0], 0, 1)],
              skipped: [],
              checkpoints: []
            })
            assert.isTrue(reset.changes[0]!.regressed)
            const [entity] = yield* store.entities("ca-sos")
            assert.isTrue(entity!.regressed)
            assert.deepStrictEqual(
              (yield* store.history("ca-sos", "a")).map((h) => h.regressed),
              [false, true]
            )
          })
        )
      )

      it.effect("keeps malformed rows aside, with where they were", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const error = new SourceError.DecodeError({
              source: "ballotpedia",
              url: "https://files.example/candidates.csv",
              row: 41,
              column: "votes_for",
              detail: "Expected a whole number",
              excerpt: "12a"
            })
            yield* store.write("ballotpedia", { events: [], skipped: [error], checkpoints: [] })
            const [kept] = yield* store.skipped("ballotpedia")
            assert.strictEqual(kept instanceof SourceError.DecodeError && kept.row, 41)
            assert.strictEqual(kept!.message, error.message)
          })
        )
      )

      it.effect("reports each source's last run, error, entities and checkpoints", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            yield* store.write("ca-sos", {
              events: [contest("a", [1], 1)],
              skipped: [],
              checkpoints: [{ stream: "contests", state: { sha256: "x" } }]
            })
            yield* store.recordRun("ca-sos", { at: DateTime.makeUnsafe("2024-11-06T04:00:00Z") })
            yield* store.recordRun("ca-sos", {
              at: DateTime.makeUnsafe("2024-11-06T04:01:00Z"),
              error: new SourceError.NotFound({ source: "ca-sos", url: "https://api.sos.ca.gov/returns/nope" })
            })
            const [status] = yield* store.status
            assert.strictEqual(status!.source, "ca-sos")
            assert.strictEqual(status!.lastSuccessAt, "2024-11-06T04:00:00.000Z")
            assert.strictEqual(status!.lastError?.at, "2024-11-06T04:01:00.000Z")
            assert.include(status!.lastError!.message, "not found")
            assert.strictEqual(status!.entities, 1)
            assert.deepStrictEqual(status!.checkpoints, { contests: { sha256: "x" } })
          })
        )
      )
    }
  )
}
