import { assert, describe, it } from "@effect/vitest"
import { SourceError } from "@electfeed/core"
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, rowCounts } from "./support/Backends.ts"
import { contest } from "./support/Events.ts"

afterAll(cleanUp)

const counts = Effect.map(rowCounts("feed_entities", "source_checkpoints", "skipped_rows"), (n) => ({
  entities: n.feed_entities,
  checkpoints: n.source_checkpoints,
  skipped: n.skipped_rows
}))

/** Contest `key` with `name` as its first candidate's name. */
const named = (key: string, name: string) => {
  const event = contest(key, [10, 20], 5)
  return {
    ...event,
    data: { ...event.data, selections: event.data.selections.map((s, i) => (i === 0 ? { ...s, name } : s)) }
  }
}

/** What a store keeps of a batch, the same on every backend. */
const kept = (store: Store["Service"]) =>
  Effect.gen(function* () {
    const entities = (yield* store.entities("ca-sos")).map((e) => `${e.key} ${e.hash}`)
    const skipped = (yield* store.skipped("ca-sos")).map((e) => e.message).sort()
    return { entities, skipped, checkpoints: yield* store.checkpoints("ca-sos") }
  })

const outcomes: Array<unknown> = []

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `strings no backend can keep, on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const withStore = <A, E>(effect: Effect.Effect<A, E, Store | SqlClient.SqlClient>) =>
        Effect.suspend(() => effect.pipe(Effect.provide(Store.layer(freshStore(backend.name)))))

      it.effect(
        "an event with U+0000 or a lone surrogate is kept aside, located; the rest of its batch is stored",
        () =>
          withStore(
            Effect.gen(function* () {
              const store = yield* Store
              const written = yield* store.write("ca-sos", {
                events: [
                  contest("good", [1, 2], 1),
                  named("nul", "Jane\u0000Doe"),
                  named("surrogate", "Jos\uD800e"),
                  contest("key\u0000", [3], 1)
                ],
                skipped: [],
                checkpoints: [{ stream: "contests", state: { round: 1 } }]
              })
              assert.deepStrictEqual(
                written.changes.map((e) => e.key),
                ["good"]
              )
              assert.strictEqual(written.skipped, 3)
              assert.deepStrictEqual(yield* counts, { entities: 1, checkpoints: 1, skipped: 3 })
              const [nul, surrogate, key] = [...(yield* store.skipped("ca-sos"))].sort((a, b) =>
                a.path! < b.path! ? -1 : 1
              )
              assert.strictEqual(nul!.source, "ca-sos")
              assert.strictEqual(nul!.url, "https://api.sos.ca.gov/returns/governor")
              assert.strictEqual(nul!.path, "$.contests.nul.data.selections[0].name")
              assert.strictEqual(nul!.excerpt, "Jane\\u0000Doe")
              assert.include(nul!.detail, "ContestResult nul of stream contests")
              assert.include(nul!.detail, "U+0000")
              assert.strictEqual(surrogate!.path, "$.contests.surrogate.data.selections[0].name")
              assert.strictEqual(surrogate!.excerpt, "Jos\\ud800e")
              assert.include(surrogate!.detail, "lone surrogate U+D800")
              assert.strictEqual(key!.path, '$.contests["key\\u0000"].key')
              outcomes.push(yield* kept(store))
            })
          )
      )

      it.effect("a malformed row the source reported with U+0000 is kept, the character escaped", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const error = new SourceError.DecodeError({
              source: "ca-sos",
              url: "https://api.sos.ca.gov/returns/governor",
              path: "$.candidates[3].Votes",
              detail: "Expected a number, got \u0000",
              excerpt: "12\u0000\uDC00"
            })
            yield* store.write("ca-sos", { events: [], skipped: [error], checkpoints: [] })
            const [stored] = yield* store.skipped("ca-sos")
            assert.strictEqual(stored!.excerpt, "12\\u0000\\udc00")
            assert.strictEqual(stored!.detail, "Expected a number, got \\u0000")
          })
        )
      )

      it.effect(
        "a malformed row read again, even through a renewed presigned link, is kept once; so is a flawed event",
        () =>
          withStore(
            Effect.gen(function* () {
              const store = yield* Store
              const at = (signature: string, row: number) =>
                new SourceError.DecodeError({
                  source: "ballotpedia",
                  url: `https://files.example/candidates.csv?X-Amz-Signature=${signature}&X-Amz-Expires=60`,
                  row,
                  column: "votes_for",
                  detail: "Expected a whole number",
                  excerpt: "12a"
                })
              yield* store.write("ballotpedia", {
                events: [],
                skipped: [at("aaa", 41), at("aaa", 41)],
                checkpoints: []
              })
              yield* store.write("ballotpedia", {
                events: [],
                skipped: [at("bbb", 41), at("bbb", 42)],
                checkpoints: []
              })
              assert.deepStrictEqual(
                (yield* store.skipped("ballotpedia")).map((e) => e.row),
                [41, 42]
              )
              const flawed = { events: [named("again", "A\u0000")], skipped: [], checkpoints: [] }
              yield* store.write("ca-sos", flawed)
              yield* store.write("ca-sos", flawed)
              assert.lengthOf(yield* store.skipped("ca-sos"), 1)
            })
          )
      )
    }
  )
}

describe.skipIf(!backends.every((b) => b.available))("both backends", () => {
  it("keep the same thing", () => {
    assert.lengthOf(outcomes, 2)
    assert.deepStrictEqual(outcomes[0], outcomes[1])
  })
})
