import { assert, describe, it } from "@effect/vitest"
import * as CaSos from "@electfeed/ca-sos"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Source } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Duration, Effect } from "effect"
import type { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import * as Sync from "../src/Sync.ts"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, rowCounts } from "./support/Backends.ts"

afterAll(cleanUp)

const tableSizes = Effect.map(rowCounts("feed_entities", "contest_history"), (n) => ({
  entities: n.feed_entities,
  history: n.contest_history
}))

const entry = (url: string): Effect.Effect<Sync.Entry, unknown> =>
  Effect.map(
    Source.decodeConfig(CaSos.source, { baseUrl: url, rateLimit: { limit: 1000, window: "1 second" } }),
    (config) => ({ source: CaSos.source, config, every: Duration.seconds(60) })
  )

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `Sync on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const run = <A, E>(effect: Effect.Effect<A, E, Store | SqlClient.SqlClient | Source.Services>) =>
        Effect.suspend(() =>
          effect.pipe(Effect.provide(Store.layer(freshStore(backend.name))), Effect.provide(Source.layer))
        ).pipe(Conformance.withVirtualTime)

      it.effect("re-running a sync stores nothing twice", () =>
        Effect.scoped(
          Effect.gen(function* () {
            const sim = yield* CaSosTesting.serve()
            const caSos = yield* entry(sim.url)
            yield* run(
              Effect.gen(function* () {
                const [first] = yield* Sync.syncOnce([caSos])
                assert.isAbove(first!.added, 100)
                assert.isUndefined(first!.error)
                const before = yield* tableSizes
                const [second] = yield* Sync.syncOnce([caSos])
                assert.strictEqual(second!.added + second!.changed, 0)
                // Its checkpoints say every body is the one stored: nothing is decoded or emitted again.
                assert.strictEqual(second!.events, 0)
                assert.deepStrictEqual(yield* tableSizes, before)
              })
            )
          })
        )
      )

      it.effect(
        "through election night: changes write history, a quiet poll writes nothing, the reset is flagged",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              const sim = yield* CaSosTesting.serve({ timeline: true })
              const caSos = yield* entry(sim.url)
              yield* run(
                Effect.gen(function* () {
                  const store = yield* Store
                  const [first] = yield* Sync.syncOnce([caSos])
                  const contests = first!.added
                  assert.deepStrictEqual(yield* tableSizes, { entities: contests, history: contests })

                  const [quiet] = yield* Sync.syncOnce([caSos])
                  assert.strictEqual(quiet!.added + quiet!.changed, 0)
                  assert.deepStrictEqual(yield* tableSizes, { entities: contests, history: contests })

                  sim.step()
                  const [reset] = yield* Sync.syncOnce([caSos], { keepChanges: true })
                  assert.isAbove(reset!.regressed, 0, "the test-data reset was not flagged")
                  const after = yield* tableSizes
                  assert.strictEqual(after.history, contests + reset!.changed, "one history row per changed contest")
                  const regressed = reset!.changes.find((e) => e.regressed === true)!
                  const [entity] = (yield* store.entities("ca-sos")).filter((e) => e.key === regressed.key)
                  assert.isTrue(entity!.regressed)
                  const history = yield* store.history("ca-sos", regressed.key)
                  assert.deepStrictEqual(
                    history.map((h) => h.regressed),
                    [false, true]
                  )

                  sim.step()
                  const [next] = yield* Sync.syncOnce([caSos])
                  assert.strictEqual(next!.regressed, 0)
                  assert.isAbove(next!.changed, 0)
                })
              )
            })
          )
      )

      it.effect("keeps what a failing source stored and records its error", () =>
        Effect.scoped(
          Effect.gen(function* () {
            const sim = yield* CaSosTesting.serve()
            const config = yield* Source.decodeConfig(CaSos.source, {
              baseUrl: sim.url,
              endpoints: ["/returns/governor", "/returns/us-senate"],
              rateLimit: { limit: 1000, window: "1 second" }
            })
            sim.inject({ _tag: "Status", status: 404 }, { match: (r) => r.path === "/returns/us-senate" })
            yield* run(
              Effect.gen(function* () {
                const [report] = yield* Sync.syncOnce([{ source: CaSos.source, config, every: Duration.seconds(60) }])
                assert.strictEqual(report!.error?._tag, "NotFound")
                const stored = yield* (yield* Store).entities("ca-sos")
                assert.isAbove(stored.length, 0, "what was read before the failure was lost")
                assert.isTrue(stored.every((e) => (e.data as { title: string }).title.startsWith("Governor")))
                const [status] = yield* (yield* Store).status
                assert.include(status!.lastError?.message ?? "", "us-senate")
                assert.isUndefined(status!.lastSuccessAt)
              })
            )
          })
        )
      )
    }
  )
}
