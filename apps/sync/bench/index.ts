/**
 * What the store costs per event over plain inserts, measured in one run on SQLite and on PostgreSQL
 * (figures only): 50,000 new events written in batches of 1,000 through `Store.write` (the change set
 * decided by the database, stable JSON made once per event, hashes, history for contests, one outbox
 * row per change, checkpoints, one transaction a batch), against the same rows inserted plainly in
 * transactions of 1,000; then the same 50,000 events written again unchanged (no row, no change); then
 * the 50,000 stored changes read back through `Store.changes`.
 *
 * PostgreSQL is measured when one answers at `ELECTFEED_BENCH_PG_URL` (default
 * postgres://postgres@127.0.0.1:5432/test), in a schema of its own dropped afterwards.
 *
 * The figures are recorded as the part `sync-store` (see `tooling/scripts/bench-results.ts`).
 *
 * `pnpm bench [--quick]`
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { PgClient } from "@effect/sql-pg"
import { Feed } from "@electfeed/core"
import { Array as Arr, DateTime, Effect, Redacted, Stream } from "effect"
import { SqlClient } from "effect/sql"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { Store, type StoreOptions } from "../src/store/Store.ts"

const count = Bench.size(5_000, 50_000)
const batch = 1000
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-store-bench-"))
const postgresUrl = process.env["ELECTFEED_BENCH_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const schema = `electfeed_bench_${process.pid}`

const events = Array.from({ length: count }, (_, i) =>
  Feed.makeEvent({
    source: "bench",
    stream: "dataset:1",
    kind: "DatasetRow",
    key: `dataset:1/row/${i}`,
    observedAt: DateTime.makeUnsafe(0),
    provenance: { url: "https://files.example/1.json", sha256: "0".repeat(64), connector: "bench@0.0.0" },
    data: {
      dataset: "1",
      row: i,
      columns: Object.fromEntries(Array.from({ length: 20 }, (_, c) => [`column_${c}`, `value ${i}.${c}`]))
    }
  })
)

const sqliteBaseline = () => {
  const db = new DatabaseSync(path.join(dir, "baseline.db"))
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
  db.exec("CREATE TABLE rows (source text, key text, data text, PRIMARY KEY (source, key))")
  const insert = db.prepare("INSERT INTO rows (source, key, data) VALUES (?, ?, ?)")
  const started = performance.now()
  for (let i = 0; i < count; i += batch) {
    db.exec("BEGIN")
    for (const event of events.slice(i, i + batch)) insert.run(event.source, event.key, JSON.stringify(event.data))
    db.exec("COMMIT")
  }
  const millis = performance.now() - started
  db.close()
  return millis
}

// The same rows through the same client, as multi-row inserts of 200 in transactions of 1,000.
const postgresBaseline = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE baseline_rows (source text, key text, data jsonb, PRIMARY KEY (source, key))`
  const started = performance.now()
  for (let i = 0; i < count; i += batch) {
    yield* sql.withTransaction(
      Effect.forEach(
        [0, 200, 400, 600, 800],
        (offset) => {
          const rows = events
            .slice(i + offset, i + offset + 200)
            .map((event) => ({ source: event.source, key: event.key, data: JSON.stringify(event.data) }))
          return Arr.isArrayNonEmpty(rows)
            ? Effect.asVoid(sql`INSERT INTO baseline_rows ${sql.insert(rows)}`)
            : Effect.void
        },
        { discard: true }
      )
    )
  }
  return performance.now() - started
})

const viaStore = (options: StoreOptions) =>
  Effect.gen(function* () {
    const store = yield* Store
    const write = Effect.gen(function* () {
      const started = performance.now()
      for (let i = 0; i < count; i += batch) {
        yield* store.write("bench", {
          events: events.slice(i, i + batch),
          skipped: [],
          checkpoints: [{ stream: "dataset:1", state: { rows: i + batch } }]
        })
      }
      return performance.now() - started
    })
    const first = yield* write
    const again = yield* write
    const started = performance.now()
    const read = yield* Stream.runCount(store.changes({ since: 0 }))
    if (read !== count) throw new Error(`expected ${count} stored changes, read ${read}`)
    return { first, again, read: performance.now() - started }
  }).pipe(Effect.provide(Store.layer(options)))

const perSecond = (millis: number) => count / (millis / 1000)
const results: Array<Bench.BenchResult> = []

const report = (
  backend: string,
  plain: number,
  { again, first, read }: { first: number; again: number; read: number }
) => {
  const figure = (name: string, unit: string, millis: number) =>
    Bench.result({
      name: `sync store, ${backend}: ${name}`,
      unit,
      value: perSecond(millis),
      baseline: perSecond(plain),
      better: "higher"
    })
  results.push(
    figure("stored changes (new events, each with its outbox row)", "changes/s", first),
    figure("unchanged events (nothing stored)", "events/s", again),
    figure("stored changes read back through Store.changes", "changes/s", read)
  )
}

const plain = sqliteBaseline()
report("SQLite", plain, await Effect.runPromise(viaStore({ url: path.join(dir, "store.db") })))

const postgres = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE SCHEMA ${sql(schema)}`
  const baseline = yield* postgresBaseline.pipe(
    Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), startupParameters: { search_path: schema } }))
  )
  const measured = yield* viaStore({ url: postgresUrl, schema }).pipe(
    Effect.ensuring(Effect.ignore(sql`DROP SCHEMA ${sql(schema)} CASCADE`))
  )
  report("PostgreSQL", baseline, measured)
}).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl) })))

await Effect.runPromise(
  postgres.pipe(
    Effect.catchCause((cause) =>
      Effect.sync(() => console.log(`PostgreSQL not measured: ${String(cause).split("\n")[0]}`))
    )
  )
)
fs.rmSync(dir, { recursive: true, force: true })
Bench.record("sync-store", results)
