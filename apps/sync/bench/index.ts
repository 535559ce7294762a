/**
 * What the store costs per event over plain inserts, measured in one run on SQLite (figures only):
 * 50,000 new events written in batches of 1,000 through `Store.write` (change detection by key, stable
 * JSON, hashes, history for contests, checkpoints, one transaction a batch), against the same rows
 * inserted with prepared `node:sqlite` statements in transactions of 1,000; then the same 50,000 events
 * written again unchanged, which must cost reads only.
 *
 * `pnpm bench`
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Feed } from "@electfeed/core"
import { DateTime, Effect } from "effect"
import { Store } from "../src/store/Store.ts"

const count = 50_000
const batch = 1000
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-store-bench-"))

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

const baseline = () => {
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

const viaStore = Effect.gen(function* () {
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
  return { first: yield* write, again: yield* write }
}).pipe(Effect.provide(Store.layer({ url: path.join(dir, "store.db") })))

const plain = baseline()
const { again, first } = await Effect.runPromise(viaStore)
const perSecond = (millis: number) => Math.round(count / (millis / 1000)).toLocaleString("en-US")
console.log(`baseline, prepared inserts: ${perSecond(plain)} rows/s`)
console.log(
  `Store.write, new events: ${perSecond(first)} events/s (${(first / plain).toFixed(2)}x the baseline's time)`
)
console.log(
  `Store.write, unchanged events: ${perSecond(again)} events/s (${(again / plain).toFixed(2)}x), nothing written`
)
fs.rmSync(dir, { recursive: true, force: true })
