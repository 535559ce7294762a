/**
 * The history row of a contest holds its selections as the feed model decodes them, whatever shape the
 * event's data came in: the store takes a shortcut for data already in the decoded shape, and these
 * tests pin that other data still gets the full decode.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Feed } from "@electfeed/core"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore } from "./support/Backends.ts"
import { contest } from "./support/Events.ts"

afterAll(cleanUp)

/** The stored selections of each history row of `key`, as JSON values (SQLite keeps text). */
const storedSelections = (key: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly selections: unknown }>`
      SELECT selections FROM contest_history WHERE key = ${key} ORDER BY id`
    return rows.map(({ selections }) => (typeof selections === "string" ? JSON.parse(selections) : selections))
  })

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `Contest history on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const withStore = <A, E>(effect: Effect.Effect<A, E, Store | SqlClient.SqlClient>) =>
        Effect.suspend(() => effect.pipe(Effect.provide(Store.layer(freshStore(backend.name)))))

      it.effect(
        "stores selections as the model decodes them: a missing partyCode is null, unknown keys are dropped",
        () =>
          withStore(
            Effect.gen(function* () {
              const store = yield* Store
              const withSelections = (key: string, change: (selection: Feed.Selection) => object): Feed.FeedEvent => {
                const event = contest(key, [10, 20], 5)
                return {
                  ...event,
                  data: { ...event.data, selections: event.data.selections.map(change) }
                } as Feed.FeedEvent
              }
              // Without a partyCode the data needs the full decode; with a key the model does not know, it
              // has the decoded shape otherwise.
              const older = withSelections("a", ({ partyCode: _, ...selection }) => selection)
              const wider = withSelections("b", (selection) => ({ ...selection, ballotOrder: 1 }))
              yield* store.write("ca-sos", { events: [older, wider], skipped: [], checkpoints: [] })
              const decoded = (partyCode: string | null) =>
                [10, 20].map((votes, i) => ({
                  incumbent: false,
                  name: `Candidate ${i}`,
                  party: "Dem",
                  partyCode,
                  percent: 0,
                  votes
                }))
              assert.deepStrictEqual(yield* storedSelections("a"), [decoded(null)])
              assert.deepStrictEqual(yield* storedSelections("b"), [decoded("DEM")])
            })
          )
      )

      it.effect("writes no history row for a contest whose data the model rejects, and stores the entity", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const current = contest("a", [10], 5)
            const negative = {
              ...current,
              data: { ...current.data, selections: [{ ...current.data.selections[0]!, votes: -1 }] }
            }
            const written = yield* store.write("ca-sos", { events: [negative], skipped: [], checkpoints: [] })
            assert.deepStrictEqual(
              written.changes.map((event) => event.key),
              ["a"]
            )
            assert.deepStrictEqual(yield* storedSelections("a"), [])
          })
        )
      )
    }
  )
}
