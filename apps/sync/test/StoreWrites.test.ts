import { assert, describe, it } from "@effect/vitest"
import { Feed } from "@electfeed/core"
import { DateTime, Effect, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, postgresAvailable, skipReason } from "./support/Backends.ts"
import { contest } from "./support/Events.ts"

afterAll(cleanUp)

const event = (key: string, n: number) =>
  Feed.makeEvent({
    source: "bulk",
    stream: "rows",
    kind: "DatasetRow",
    key,
    observedAt: DateTime.makeUnsafe(0),
    provenance: { url: "https://files.example/rows.json", sha256: "0".repeat(64), connector: "test@0.0.0" },
    data: { dataset: "rows", row: n, columns: { value: `${key} ${n}` } }
  })

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `Store writes on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it.effect("keeps the outbox in the order of the batch, across statements, and the rows the store returns", () =>
        Effect.gen(function* () {
          const store = yield* Store
          // More changes than one statement takes, in no sorted order.
          const keys = Array.from({ length: 2500 }, (_, i) => `k${(i * 7919) % 2500}`)
          const written = yield* store.write("bulk", {
            events: keys.map((key, i) => event(key, i)),
            skipped: [],
            checkpoints: []
          })
          assert.deepStrictEqual(
            written.changes.map((change) => change.key),
            keys
          )
          const stored = yield* Stream.runCollect(store.changes({ since: 0 }))
          assert.deepStrictEqual(
            stored.map((change) => change.event.key),
            keys
          )
          // Written again with a few changed: only those come back, in order, and nothing else is stored.
          const again = yield* store.write("bulk", {
            events: keys.map((key, i) => event(key, key.endsWith("7") ? i + 1 : i)),
            skipped: [],
            checkpoints: []
          })
          assert.deepStrictEqual(
            again.changes.map((change) => [change.key, change.change]),
            keys.filter((key) => key.endsWith("7")).map((key) => [key, "changed"])
          )
          assert.strictEqual(again.unchanged, keys.length - again.changes.length)
        }).pipe(Effect.provide(Store.layer(freshStore(backend.name))))
      )
    }
  )
}

describe.skipIf(!postgresAvailable)(
  `PostgreSQL statistics${postgresAvailable ? "" : ` (skipped: ${skipReason})`}`,
  () => {
    it.effect("a store that grew by a first load has its tables analyzed, with autovacuum off or not", () =>
      Effect.gen(function* () {
        const store = yield* Store
        const sql = yield* SqlClient.SqlClient
        const analyzed = Effect.map(
          sql<{ readonly analyzed: boolean }>`SELECT last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables
          WHERE relid = 'feed_entities'::regclass`,
          (rows) => rows[0]?.analyzed === true
        )
        yield* store.write("ca-sos", { events: [contest("a", [1], 1)], skipped: [], checkpoints: [] })
        assert.isFalse(yield* analyzed)
        for (let i = 0; i < 12; i++) {
          yield* store.write("bulk", {
            events: Array.from({ length: 1000 }, (_, n) => event(`k${i * 1000 + n}`, n)),
            skipped: [],
            checkpoints: []
          })
        }
        assert.isTrue(yield* analyzed)
      }).pipe(Effect.provide(Store.layer(freshStore("postgres"))))
    )
  }
)
