/**
 * Core's fuzz targets: the streaming row decoders (JSON arrays and CSV, rows then decoded and written
 * stably, as a connector does) and JSON bodies decoded against the feed model. Run as a script, it fuzzes
 * them in worker threads: `pnpm fuzz` (see `Fuzz.main`).
 */
import { DateTime, Effect, Schema, Stream } from "effect"
import { Decoding, Feed, Http } from "../src/index.ts"
import { Fuzz } from "../src/testing/index.ts"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const client = await Effect.runPromise(
  Http.makeClient({ source: "fuzz", connector: "fuzz@0.0.0", baseUrl: "https://files.example" }).pipe(
    Effect.provide(Http.layer)
  )
)
const context = { client, url: "https://files.example/data?X-Amz-Signature=abc" }

// Network-sized pieces, so that rows and escapes are cut across them.
const pieces = (body: Uint8Array) =>
  Stream.fromIterable(
    Array.from({ length: Math.ceil(body.length / 4096) }, (_, i) => body.subarray(i * 4096, (i + 1) * 4096))
  )

const Cells = Schema.Record(Schema.String, Schema.NullOr(Schema.String))

// What a connector does with each row: decode it (a failure is a skipped row) and write it stably.
const readRows = (decode: typeof Decoding.jsonArrayRows) => (body: Uint8Array) =>
  decode(pieces(body), context).pipe(
    Stream.runForEach((outcome) =>
      outcome._tag === "Malformed"
        ? Effect.sync(() => outcome.error.message)
        : Decoding.decodeRow(Cells, outcome, context).pipe(
            Effect.map((cells) => Feed.contentHash(cells)),
            Effect.catchTag("DecodeError", (error) => Effect.succeed(Feed.stableJson(outcome.values) + error.message))
          )
    )
  )

const rowObjects = [
  { id: "1", name: 'Ana "A" Ruiz', note: "Fresno, CA", votes: "1,234", empty: "" },
  { id: "2", name: "Solórzano 😀", note: "two\nlines\r\n", votes: "12", empty: null },
  { id: "3", name: "", note: "\\", votes: "x", nested: { a: [1, { b: null }] } }
]

const csvText = (rows: ReadonlyArray<Record<string, unknown>>) => {
  const columns = ["id", "name", "note", "votes", "empty"]
  const cell = (value: unknown) => {
    const text = value === undefined || value === null ? "" : String(value)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return [columns, ...rows.map((row) => columns.map((column) => row[column]))]
    .map((cells) => cells.map(cell).join(","))
    .join("\r\n")
}

const event = Feed.makeEvent({
  source: "ca-sos",
  stream: "contests",
  kind: "DatasetRow",
  key: "status/lake",
  observedAt: DateTime.makeUnsafe("2024-11-06T07:55:00Z"),
  provenance: { url: "https://api.example/returns/status", sha256: "a".repeat(64), connector: "ca-sos@0.1.0" },
  data: { dataset: "returns/status", row: 3, columns: { county: "17", countyName: "Lake", reportType: null } }
})

const candidate = {
  ...event,
  kind: "Candidate",
  key: "candidate/1/2",
  data: {
    candidateId: "1",
    personId: "2",
    name: "Ana Ruiz",
    firstName: "Ana",
    lastName: "Ruiz",
    party: null,
    state: "CA",
    office: { id: null, name: "Governor", level: "State", branch: null },
    district: { id: null, name: null, type: null, ocdId: null },
    race: { id: "9", type: "Regular", url: null },
    election: { date: "2024-11-05", stage: "General", stageParty: null },
    status: "On the Ballot",
    incumbent: true,
    writeIn: false,
    votesFor: 12,
    ballotpediaUrl: null
  }
}

/**
 * @since 0.1.0
 */
export const targets: ReadonlyArray<Fuzz.Target> = [
  {
    name: "core/json-array-rows",
    format: "json",
    seeds: [
      rowObjects,
      rowObjects.slice(0, 1),
      Array.from({ length: 200 }, (_, i) => ({ ...rowObjects[i % 3], i }))
    ].map((rows) => encoder.encode(JSON.stringify(rows, null, rows.length === 1 ? 2 : undefined))),
    run: readRows(Decoding.jsonArrayRows)
  },
  {
    name: "core/csv-rows",
    format: "csv",
    seeds: [rowObjects, rowObjects.slice(1), Array.from({ length: 200 }, (_, i) => rowObjects[i % 3]!)].map((rows) =>
      encoder.encode(csvText(rows))
    ),
    run: readRows(Decoding.csvRows)
  },
  {
    name: "core/decode-json-text",
    format: "json",
    seeds: [event, candidate, [event, candidate]].map((value) => encoder.encode(JSON.stringify(value))),
    run: (body) => {
      const text = decoder.decode(body)
      return Decoding.decodeJsonText(
        Schema.Union([Feed.FeedEvent, Schema.Array(Feed.FeedEvent)]),
        text,
        (detail, offset, path) => client.decodeError({ url: context.url, detail, input: text, offset, path })
      ).pipe(Effect.map((value) => [value].flat().map((decoded) => Feed.contentHash(Feed.encode(decoded)))))
    }
  }
]

if (import.meta.main) await Fuzz.main({ module: import.meta.url, targets, bodies: 30_000 })
