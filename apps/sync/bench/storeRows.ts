/**
 * The events of the store benchmark, and its plain baselines: exactly the rows `Store.write` ends up
 * writing for them (the entity row with its hash and JSON, a history row for each contest, one outbox
 * row per change, the batch's checkpoint), written into the store's own migrated schema without the
 * store: prepared inserts on SQLite, `COPY … FROM STDIN` on PostgreSQL, one transaction per batch.
 *
 * The events' data is written with its keys in sorted order, so plain `JSON.stringify` writes the same
 * text as the store's stable JSON: the baselines pay for no sorting.
 */
import * as Crypto from "node:crypto"
import type { DatabaseSync } from "node:sqlite"
import { Feed } from "@electfeed/core"
import { DateTime } from "effect"
import type pg from "pg"
import { from as copyFrom } from "pg-copy-streams"

/** Every tenth event is a contest, which also gets a history row. */
const isContest = (i: number) => i % 10 === 0

const provenance = { connector: "bench@0.0.0", sha256: "0".repeat(64), url: "https://files.example/1.json" }

/** The `i`th event of the benchmark, made on demand: a million of them are never held at once. */
export const eventAt = (i: number, source = "bench"): Feed.FeedEvent =>
  isContest(i)
    ? Feed.makeEvent({
        source,
        stream: "dataset:1",
        kind: "ContestResult",
        key: `dataset:1/contest/${i}`,
        observedAt: DateTime.makeUnsafe(0),
        provenance,
        data: {
          contestId: String(i),
          contestKind: "candidate",
          jurisdiction: { county: null, district: null, state: "CA" },
          office: "Governor",
          party: null,
          reporting: { percent: 50, precinctsReporting: 50, precinctsTotal: 100 },
          selections: Array.from({ length: 4 }, (_, s) => ({
            incumbent: false,
            name: `Candidate ${s}`,
            party: "Dem",
            partyCode: "DEM",
            percent: 25,
            votes: i + s
          })),
          title: `Contest ${i}`,
          updatedAt: "2024-11-05T20:00:00-08:00"
        }
      })
    : Feed.makeEvent({
        source,
        stream: "dataset:1",
        kind: "DatasetRow",
        key: `dataset:1/row/${i}`,
        observedAt: DateTime.makeUnsafe(0),
        provenance,
        data: {
          columns: Object.fromEntries(
            Array.from({ length: 20 }, (_, c) => [`column_${String(c).padStart(2, "0")}`, `value ${i}.${c}`])
          ),
          dataset: "1",
          row: i
        }
      })

/** Events `from` to `to` (excluded) of `source`. */
export const eventsFrom = (from: number, to: number, source = "bench"): Array<Feed.FeedEvent> =>
  Array.from({ length: to - from }, (_, i) => eventAt(from + i, source))

/** The checkpoint the benchmark writes with the batch ending at `end`. */
export const checkpointAt = (end: number) => ({ stream: "dataset:1", state: { rows: end } })

type Row = ReadonlyArray<string | number | null>

interface Rows {
  readonly entities: Array<Row>
  readonly history: Array<Row>
  readonly changes: Array<Row>
}

const columns = {
  entities: "source, key, stream, kind, hash, data, provenance, observed_at, first_seen_at, regressed, last_change",
  history: `source, key, hash, observed_at, change, regressed, precincts_reporting, precincts_total,
    percent_reporting, source_updated_at, selections`,
  changes: "source, stream, kind, key, change, regressed, observed_at, committed_at, event"
}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ")

/** The rows of one batch of new events, as the store writes them, built plainly. */
const rowsOf = (events: ReadonlyArray<Feed.FeedEvent>, now: string): Rows => {
  const rows: Rows = { entities: [], history: [], changes: [] }
  for (const event of events) {
    const data = JSON.stringify(event.data)
    const hash = Crypto.hash("sha256", data, "hex")
    const origin = JSON.stringify(event.provenance)
    const { key, kind, observedAt, stream } = event
    rows.entities.push([event.source, key, stream, kind, hash, data, origin, observedAt, observedAt, 0, "added"])
    if (event.kind === "ContestResult") {
      const { reporting, selections, updatedAt } = event.data
      rows.history.push([
        event.source,
        key,
        hash,
        observedAt,
        "added",
        0,
        reporting.precinctsReporting,
        reporting.precinctsTotal,
        reporting.percent,
        updatedAt,
        JSON.stringify(selections)
      ])
    }
    const envelope = JSON.stringify({
      change: "added",
      data: event.data,
      key,
      kind,
      observedAt,
      provenance: event.provenance,
      source: event.source,
      stream
    })
    rows.changes.push([event.source, stream, kind, key, "added", 0, observedAt, now, envelope])
  }
  return rows
}

/**
 * A plain writer of batches of new events into a migrated SQLite store, with prepared inserts: each
 * call writes one batch in one transaction, with the checkpoint that ends at `end`, and returns the
 * milliseconds spent.
 */
export const sqliteBaseline = (db: DatabaseSync) => {
  const entity = db.prepare(`INSERT INTO feed_entities (${columns.entities}) VALUES (${placeholders(11)})`)
  const history = db.prepare(`INSERT INTO contest_history (${columns.history}) VALUES (${placeholders(11)})`)
  const change = db.prepare(`INSERT INTO feed_changes (${columns.changes}) VALUES (${placeholders(9)})`)
  const checkpoint = db.prepare(`INSERT INTO source_checkpoints (source, stream, state, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (source, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`)
  return (events: ReadonlyArray<Feed.FeedEvent>, end: number): number => {
    const started = performance.now()
    const now = new Date().toISOString()
    const rows = rowsOf(events, now)
    db.exec("BEGIN IMMEDIATE")
    for (const row of rows.entities) entity.run(...row)
    for (const row of rows.history) history.run(...row)
    for (const row of rows.changes) change.run(...row)
    const { state, stream } = checkpointAt(end)
    checkpoint.run(events[0]!.source, stream, JSON.stringify(state), now)
    db.exec("COMMIT")
    return performance.now() - started
  }
}

// COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
const copyText = (value: string | number | null) =>
  value === null
    ? "\\N"
    : typeof value === "number"
      ? String(value)
      : value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))

const copy = (client: pg.Client, statement: string, rows: ReadonlyArray<Row>) =>
  new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(statement))
    stream.on("finish", resolve)
    stream.on("error", reject)
    stream.end(rows.map((row) => `${row.map(copyText).join("\t")}\n`).join(""))
  })

/** The same as {@link sqliteBaseline} on PostgreSQL, with `COPY … FROM STDIN`. */
export const postgresBaseline =
  (client: pg.Client) =>
  async (events: ReadonlyArray<Feed.FeedEvent>, end: number): Promise<number> => {
    const started = performance.now()
    const now = new Date().toISOString()
    const rows = rowsOf(events, now)
    await client.query("BEGIN")
    await copy(client, `COPY feed_entities (${columns.entities}) FROM STDIN`, rows.entities)
    if (rows.history.length > 0) {
      await copy(client, `COPY contest_history (${columns.history}) FROM STDIN`, rows.history)
    }
    await copy(client, `COPY feed_changes (${columns.changes}) FROM STDIN`, rows.changes)
    const { state, stream } = checkpointAt(end)
    await client.query(
      `INSERT INTO source_checkpoints (source, stream, state, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [events[0]!.source, stream, JSON.stringify(state), now]
    )
    await client.query("COMMIT")
    return performance.now() - started
  }
