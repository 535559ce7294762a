import * as fs from "node:fs"
import * as path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Feed } from "@electfeed/core"
import { Context, DateTime, Deferred, Effect, Fiber, Layer, Redacted, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { Store, type StoreOptions } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, postgresUrl, tempDirectory } from "./support/Backends.ts"
import { start } from "./support/Cli.ts"
import { contents, type Where } from "./support/Peek.ts"
import { startCaSos } from "./support/Simulators.ts"

afterAll(cleanUp)

const contests = 50

/** `contests` contests of source `race`, each with `votes` votes for its one candidate. */
const batch = (votes: number) => ({
  events: Array.from({ length: contests }, (_, i) =>
    Feed.makeEvent({
      source: "race",
      stream: "contests",
      kind: "ContestResult",
      key: `contest/${i}`,
      observedAt: DateTime.makeUnsafe(votes),
      provenance: { url: "https://results.example/all", sha256: "0".repeat(64), connector: "race@0.0.0" },
      data: {
        contestId: String(i),
        title: `Contest ${i}`,
        office: "Mayor",
        contestKind: "candidate",
        jurisdiction: { state: "CA", county: null, district: null },
        party: null,
        reporting: { precinctsReporting: votes, precinctsTotal: 1000, percent: votes / 10 },
        updatedAt: null,
        selections: [{ name: "A", party: null, partyCode: null, votes, percent: 100, incumbent: null }]
      }
    })
  ),
  skipped: [],
  checkpoints: []
})

const count = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(sql.unsafe<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`), ([row]) => Number(row!.n))

/** The store at `where` for the scope, with its SQL client: each call a store of its own (its own connections). */
const open = (where: StoreOptions) =>
  Effect.map(Layer.build(Store.layer(where)), (context) => ({
    store: Context.get(context, Store),
    sql: Context.get(context, SqlClient.SqlClient)
  }))

/**
 * Runs `race` on PostgreSQL while every row of source `race` is locked, and releases them once two
 * writers wait for them, having read them: the interleaving READ COMMITTED allows, made certain.
 */
const gated = <A, E>(where: StoreOptions, race: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const release = yield* Deferred.make<void>()
    const held = yield* Deferred.make<void>()
    const gate = yield* Effect.forkChild(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`SELECT key FROM feed_entities WHERE source = 'race' FOR UPDATE`
          yield* Deferred.succeed(held, undefined)
          yield* Deferred.await(release)
        })
      )
    )
    yield* Deferred.await(held)
    const writes = yield* Effect.forkChild(race)
    const waiting = Effect.map(
      sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM pg_stat_activity
        WHERE application_name = 'electfeed' AND wait_event_type = 'Lock' AND datname = current_database()`,
      ([row]) => Number(row!.n)
    )
    while ((yield* waiting) < 2) yield* Effect.sleep("20 millis")
    yield* Deferred.succeed(release, undefined)
    yield* Fiber.join(gate)
    return yield* Fiber.join(writes)
  }).pipe(
    Effect.provide(
      PgClient.layer({
        url: Redacted.make(postgresUrl),
        ...(where.schema === undefined ? {} : { startupParameters: { search_path: where.schema } })
      })
    )
  )

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `many writers on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it.live(
        "two writers racing with the same batch, without the lease: the store decides, one change each",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              const where = freshStore(backend.name)
              const one = yield* open(where)
              const two = yield* open(where)
              yield* one.store.write("race", batch(10))
              const historyBefore = yield* count(one.sql, "contest_history")
              const race = Effect.all([one.store.write("race", batch(20)), two.store.write("race", batch(20))], {
                concurrency: 2
              })
              const [first, second] = yield* backend.name === "postgres" ? gated(where, race) : race
              assert.strictEqual(
                (yield* count(one.sql, "contest_history")) - historyBefore,
                contests,
                "history doubled"
              )
              assert.strictEqual(first.changes.length + second.changes.length, contests)
              assert.strictEqual(first.unchanged + second.unchanged, contests)
              assert.strictEqual(yield* count(one.sql, "feed_changes"), 2 * contests)
            })
          ),
        60_000
      )

      it("two `electfeed sync` of the same source started together leave the store of one run", async () => {
        const { close, sim } = await startCaSos()
        const configFile = (where: Where) => {
          const dir = tempDirectory("writers")
          const file = path.join(dir, "electfeed.json")
          const source = { config: { baseUrl: sim.url, rateLimit: { limit: 1000, window: "1 second" } } }
          fs.writeFileSync(
            file,
            JSON.stringify({ store: where, downloads: path.join(dir, "downloads"), sources: { "ca-sos": source } })
          )
          return file
        }
        try {
          const once = freshStore(backend.name)
          const alone = await start(["sync", "--config", configFile(once)]).done
          assert.strictEqual(alone.code, 0, alone.stderr)

          const twice = freshStore(backend.name)
          const file = configFile(twice)
          const [a, b] = await Promise.all([
            start(["sync", "--config", file]).done,
            start(["sync", "--config", file]).done
          ])
          assert.strictEqual(a.code, 0, a.stderr)
          assert.strictEqual(b.code, 0, b.stderr)
          const [after, expected] = await Promise.all([contents(twice), contents(once)])
          assert.deepStrictEqual(after, expected)
          assert.isAbove(after.entities.length, 100)
          const changes = (where: Where) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const found = yield* Stream.runCollect((yield* Store).changes({ since: 0 }))
                return found.map((c) => `${c.event.change} ${c.event.key} ${Feed.contentHash(c.event.data)}`)
              }).pipe(Effect.provide(Store.layer(where)))
            )
          assert.deepStrictEqual(await changes(twice), await changes(once))
        } finally {
          await close()
        }
      }, 120_000)
    }
  )
}
