/**
 * The outbox: every stored change as a row of `feed_changes`, in the transaction of the data it
 * describes, with a store-wide `seq` a consumer resumes from.
 *
 * A consumer reads "every change after seq N", so a change must never become visible after one with a
 * higher seq: on PostgreSQL, transactions of different sources commit in any order, so a writer takes a
 * transaction-scoped advisory lock before it draws seqs and holds it to its commit. The rows of the
 * outbox are the last thing a batch writes, so the lock is held only for them. SQLite writes one
 * transaction at a time anyway. On PostgreSQL the writer also sends a `NOTIFY`, which PostgreSQL
 * delivers when (and only if) the transaction commits: followers wake up without polling.
 *
 * @since 0.2.0
 */
import type { Feed } from "@electfeed/core"
import { type Array as Arr, Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { Dialect } from "./Rows.ts"
import * as Values from "./Values.ts"

/**
 * The PostgreSQL channel told of every commit that stored changes; its payload is the source.
 *
 * @since 0.2.0
 * @category notifications
 */
export const channel = "electfeed_changes"

// Any constant that other programs are unlikely to lock: "elfeed" in ASCII.
const seqLock = 0x656c66656564

/**
 * A change on its way to the outbox: the marked event, and its data and provenance as stable JSON,
 * made once for the entity row and reused here.
 *
 * @since 0.2.0
 * @category models
 */
export interface Outgoing {
  readonly event: Feed.FeedEvent
  readonly data: string
  readonly provenance: string
}

const text = JSON.stringify

const columns = "source, stream, kind, key, change, regressed, observed_at, committed_at, event"

/**
 * The event as `Feed.encode` writes it (stable JSON: keys sorted, nothing absent), built around the
 * data and provenance already written as JSON rather than writing them again.
 *
 * @since 0.2.0
 * @category encoding
 */
export const envelopeJson = ({ data, event, provenance }: Outgoing): string =>
  `{${event.change === undefined ? "" : `"change":${text(event.change)},`}"data":${data},"key":${text(event.key)},` +
  `"kind":${text(event.kind)},"observedAt":${text(event.observedAt)},"provenance":${provenance},` +
  `${event.regressed === undefined ? "" : `"regressed":${text(event.regressed)},`}"source":${text(event.source)},` +
  `"stream":${text(event.stream)}}`

const inChunks = <A>(items: ReadonlyArray<A>, size: number): Array<Arr.NonEmptyReadonlyArray<A>> => {
  const out: Array<Arr.NonEmptyReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size) as unknown as Arr.NonEmptyReadonlyArray<A>)
  return out
}

/**
 * The outbox of one store: `append` runs inside a batch's transaction, last.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = Effect.fnUntraced(function* (dialect: Dialect) {
  const sql = yield* SqlClient.SqlClient
  const append = Effect.fnUntraced(function* (source: string, changes: ReadonlyArray<Outgoing>, committedAt: string) {
    if (changes.length === 0) return
    if (dialect === "postgres") yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${seqLock})`)
    for (const chunk of inChunks(changes, dialect === "postgres" ? 1000 : 200)) {
      if (dialect === "postgres") {
        // One array per column, unnested in order: the seqs follow the changes' order.
        const event = (change: Outgoing) => change.event
        yield* sql.unsafe(
          `INSERT INTO feed_changes (${columns})
          SELECT $1::text, r.stream, r.kind, r.key, r.change, r.regressed, r.observed_at::timestamptz,
            $2::timestamptz, r.event::jsonb
          FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[])
            WITH ORDINALITY AS r(stream, kind, key, change, regressed, observed_at, event, n)
          ORDER BY r.n`,
          [
            source,
            committedAt,
            chunk.map((change) => event(change).stream),
            chunk.map((change) => event(change).kind),
            chunk.map((change) => event(change).key),
            chunk.map((change) => event(change).change ?? "changed"),
            chunk.map((change) => (event(change).regressed === true ? 1 : 0)),
            chunk.map((change) => event(change).observedAt),
            chunk.map(envelopeJson)
          ]
        )
        continue
      }
      const params: Array<string | number> = []
      for (const change of chunk) {
        const { event } = change
        params.push(source, event.stream, event.kind, event.key, event.change ?? "changed")
        params.push(event.regressed === true ? 1 : 0, event.observedAt, committedAt, envelopeJson(change))
      }
      yield* sql.unsafe(
        `INSERT INTO feed_changes (${columns}) VALUES ${Values.placeholders(dialect, chunk.length, 9)}`,
        params
      )
    }
    if (dialect === "postgres") yield* sql`SELECT pg_notify(${channel}, ${source})`
  })
  return { append }
})
