/**
 * What the store costs per event over plain writes of the same rows, measured in one run on SQLite and
 * on PostgreSQL (figures only). New events are written in batches of 1,000 through `Store.write` (the
 * change set decided by the database, stable JSON made once per event, hashes, history for contests,
 * one outbox row per change, checkpoints, one transaction a batch), against exactly the rows the store
 * ends up writing, written plainly into the store's own migrated schema (see `storeRows.ts`): prepared
 * inserts on SQLite, `COPY` on PostgreSQL. The two take turns batch by batch, after a warm-up of both, so
 * a shared machine's load weighs on both alike; at the end both are checked to hold the same rows. Then
 * the first events are written again unchanged (no row, no change), and the stored changes are read
 * back through `Store.changes`.
 *
 * On PostgreSQL the load is 1,000,000 events (100,000 with `--quick`), and the events/s of its last
 * tenth are compared with its first: a store that slows as its tables grow shows it there. So is its speed
 * against COPY's in the same batches, which the machine's other work weighs on alike.
 *
 * PostgreSQL is measured when one answers at `ELECTFEED_BENCH_PG_URL` (default
 * postgres://postgres@127.0.0.1:5432/test), in schemas of its own dropped afterwards.
 *
 * The figures are recorded as the part `sync-store` (see `tooling/scripts/bench-results.ts`).
 *
 * `pnpm bench [--quick]`
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import type { Feed } from "@electfeed/core"
import { Effect, Stream } from "effect"
import pg from "pg"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { Store, type StoreOptions } from "../src/store/Store.ts"
import { checkpointAt, eventsFrom, postgresBaseline, sqliteBaseline } from "./storeRows.ts"

const count = Bench.size(20_000, 50_000)
const postgresCount = Bench.size(100_000, 1_000_000)
const batch = 1000
/** Events of another source written through both before anything is timed. */
const warmUp = 3000
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-store-bench-"))
const postgresUrl = process.env["ELECTFEED_BENCH_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const schemas = { store: `electfeed_bench_${process.pid}`, baseline: `electfeed_bench_${process.pid}_plain` }

/** Creates the store's schema (its migrations) without writing anything. */
const migrate = (options: StoreOptions) =>
  Effect.runPromise(Effect.asVoid(Store.use(() => Effect.void)).pipe(Effect.provide(Store.layer(options))))

interface Measured {
  /** Milliseconds of each batch of new events, through the store and plainly. */
  readonly batches: ReadonlyArray<number>
  readonly plain: ReadonlyArray<number>
  readonly again: number
  readonly read: number
}

/** A plain writer of one batch: the milliseconds it took. */
type Plain = (events: ReadonlyArray<Feed.FeedEvent>, end: number) => Promise<number> | number

/**
 * Loads `total` new events through the store and plainly, batch by batch in turns (which goes first
 * alternates), after a warm-up of both with another source. Then writes the first events again,
 * unchanged, and reads the changes back.
 */
const load = (options: StoreOptions, plain: Plain, total: number) =>
  Effect.gen(function* () {
    const store = yield* Store
    const viaStore = Effect.fnUntraced(function* (
      events: ReadonlyArray<Feed.FeedEvent>,
      end: number,
      checkpoints = true
    ) {
      const started = performance.now()
      yield* store.write(events[0]!.source, {
        events,
        skipped: [],
        checkpoints: checkpoints ? [checkpointAt(end)] : []
      })
      return performance.now() - started
    })
    const viaPlain = (events: ReadonlyArray<Feed.FeedEvent>, end: number) =>
      Effect.promise(async () => plain(events, end))
    for (let i = 0; i < warmUp; i += batch) {
      const events = eventsFrom(i, i + batch, "warm-up")
      yield* viaPlain(events, i + batch)
      yield* viaStore(events, i + batch)
    }
    const batches: Array<number> = []
    const plainBatches: Array<number> = []
    for (let i = 0; i < total; i += batch) {
      const end = Math.min(total, i + batch)
      const events = eventsFrom(i, end)
      if ((i / batch) % 2 === 0) {
        plainBatches.push(yield* viaPlain(events, end))
        batches.push(yield* viaStore(events, end))
      } else {
        batches.push(yield* viaStore(events, end))
        plainBatches.push(yield* viaPlain(events, end))
      }
    }
    let again = 0
    for (let i = 0; i < count; i += batch) again += yield* viaStore(eventsFrom(i, i + batch), i + batch, false)
    const started = performance.now()
    const read = yield* Stream.runCount(store.changes({ since: 0, source: "bench" }))
    if (read !== total) throw new Error(`expected ${total} stored changes, read ${read}`)
    return { batches, plain: plainBatches, again, read: performance.now() - started } satisfies Measured
  }).pipe(Effect.provide(Store.layer(options)))

const sum = (millis: ReadonlyArray<number>) => millis.reduce((a, b) => a + b, 0)
const perSecond = (events: number, millis: number) => events / (millis / 1000)
const results: Array<Bench.BenchResult> = []

const report = (backend: string, baseline: string, total: number, measured: Measured) => {
  const figure = (name: string, unit: string, events: number, millis: number) =>
    Bench.result({
      name: `sync store, ${backend}: ${name}`,
      unit,
      value: perSecond(events, millis),
      baseline: perSecond(total, sum(measured.plain)),
      better: "higher"
    })
  results.push(
    figure(
      `stored changes (new events, each with its outbox row), against ${baseline}`,
      "changes/s",
      total,
      sum(measured.batches)
    ),
    figure("unchanged events (nothing stored)", "events/s", count, measured.again),
    figure("stored changes read back through Store.changes", "changes/s", total, measured.read)
  )
}

/**
 * The events/s of the last tenth of the batches against the first tenth's; and the same of the store's
 * speed relative to the baseline's in the same batches (which take turns with the store's), which a shared
 * machine's load, weighing on both alike, leaves out: what is left is the store's own slowing as it grows.
 */
const flatness = (backend: string, measured: Measured) => {
  const tenth = Math.max(1, Math.floor(measured.batches.length / 10))
  const events = tenth * batch
  const load = `a ${measured.batches.length * batch}-event load`
  const first = (millis: ReadonlyArray<number>) => sum(millis.slice(0, tenth))
  const last = (millis: ReadonlyArray<number>) => sum(millis.slice(-tenth))
  return [
    Bench.result({
      name: `sync store, ${backend}: new events/s in the last 10% of ${load}, against the first 10%`,
      unit: "events/s",
      value: perSecond(events, last(measured.batches)),
      baseline: perSecond(events, first(measured.batches)),
      better: "higher"
    }),
    Bench.result({
      name: `sync store, ${backend}: speed against the baseline's in the same batches, last 10% of ${load} against the first 10%`,
      unit: "ratio",
      value: last(measured.plain) / last(measured.batches),
      baseline: first(measured.plain) / first(measured.batches),
      better: "higher"
    })
  ]
}

/** Fails unless both databases hold the same rows (row order and `seq` aside). */
const sameRows = (label: string, digests: ReadonlyArray<string>) => {
  if (digests[0] !== digests[1])
    throw new Error(`${label}: the store and its baseline hold different rows: ${digests.join(" vs ")}`)
}

const sqliteDigest = (file: string) => {
  const db = new DatabaseSync(file, { readOnly: true })
  const hash = createHash("sha256")
  for (const query of [
    "SELECT key, stream, kind, hash, data, provenance, observed_at, last_change FROM feed_entities ORDER BY key",
    "SELECT key, hash, change, precincts_reporting, selections, source_updated_at FROM contest_history ORDER BY key",
    "SELECT key, stream, kind, change, observed_at, event FROM feed_changes ORDER BY key",
    "SELECT source, stream, state FROM source_checkpoints ORDER BY source"
  ]) {
    for (const row of db.prepare(query).iterate()) hash.update(JSON.stringify(Object.values(row)))
  }
  db.close()
  return hash.digest("hex")
}

const sqlite = async () => {
  const plainFile = path.join(dir, "baseline.db")
  await migrate({ url: plainFile })
  const db = new DatabaseSync(plainFile)
  // As the store opens its file (the journal mode is kept in the file; this is not).
  db.exec("PRAGMA synchronous = NORMAL")
  const storeFile = path.join(dir, "store.db")
  try {
    const measured = await Effect.runPromise(load({ url: storeFile }, sqliteBaseline(db), count))
    report("SQLite", "prepared inserts of the same rows", count, measured)
  } finally {
    db.close()
  }
  sameRows("SQLite", [sqliteDigest(plainFile), sqliteDigest(storeFile)])
}

// Row order and `seq` aside; md5 of each row summed, as the tables are too large for one string.
const postgresDigest = async (client: pg.Client, schema: string) => {
  const rows = (table: string, columns: string) =>
    `(SELECT count(*) || ':' || coalesce(sum(('x' || substr(md5(${columns}), 1, 8))::bit(32)::int::bigint), 0)
      FROM ${client.escapeIdentifier(schema)}.${table})`
  const found = await client.query<{ digest: string }>(`SELECT concat_ws(' ',
    ${rows("feed_entities", "concat_ws('|', key, stream, kind, hash, data::text, provenance::text, observed_at, last_change)")},
    ${rows("contest_history", "concat_ws('|', key, hash, change, precincts_reporting, selections::text, source_updated_at)")},
    ${rows("feed_changes", "concat_ws('|', key, stream, kind, change, observed_at, event::text)")},
    ${rows("source_checkpoints", "concat_ws('|', source, stream, state::text)")}) AS digest`)
  return found.rows[0]!.digest
}

const postgres = async () => {
  const client = new pg.Client({ connectionString: postgresUrl })
  await client.connect()
  try {
    await migrate({ url: postgresUrl, schema: schemas.baseline })
    await client.query(`SET search_path TO ${client.escapeIdentifier(schemas.baseline)}`)
    const measured = await Effect.runPromise(
      load({ url: postgresUrl, schema: schemas.store }, postgresBaseline(client), postgresCount)
    )
    report("PostgreSQL", "COPY of the same rows", postgresCount, measured)
    results.push(...flatness("PostgreSQL", measured))
    sameRows("PostgreSQL", [
      await postgresDigest(client, schemas.baseline),
      await postgresDigest(client, schemas.store)
    ])
  } finally {
    for (const schema of Object.values(schemas)) {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`)
    }
    await client.end()
  }
}

await sqlite()
await postgres().catch((error: unknown) => {
  if (!(error instanceof Error && /ECONNREFUSED|ENOTFOUND|connect/.test(error.message))) throw error
  console.log(`PostgreSQL not measured: ${error.message}`)
})
fs.rmSync(dir, { recursive: true, force: true })
Bench.record("sync-store", results)
