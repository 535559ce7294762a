/**
 * The connector's fuzz targets: files of each kind of dataset (candidates, endorsements, any other), JSON
 * and CSV, read row by row into events as a read does once the file is on disk (without HTTP), skipping
 * malformed rows, and written as the store writes them. Seeds are the simulator's generated files. Run as
 * a script, it fuzzes them in worker threads: `pnpm fuzz` (see core's `Fuzz.main`).
 */
import { Decoding, Feed, Http, Source } from "@electfeed/core"
import { Fuzz } from "@electfeed/core/testing"
import { DateTime, Effect, Stream } from "effect"
import { sourceId } from "../src/Api.ts"
import { mappings, source, streamName } from "../src/Ballotpedia.ts"
import type { Kind } from "../src/Config.ts"
import type { Mapping, RowContext } from "../src/Mapping.ts"
import { Generator } from "../src/testing/index.ts"

const client = await Effect.runPromise(
  Http.makeClient({ source: sourceId, connector: source.connector, baseUrl: "https://api.ballotpedia.org" }).pipe(
    Effect.provide(Http.layer)
  )
)

const observedAt = DateTime.makeUnsafe("2026-11-04T07:55:00Z")

// Pieces of the size a file is read from disk in, so that rows and escapes are cut across them.
const pieces = (body: Uint8Array) =>
  Stream.fromIterable(
    Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536))
  )

const read = (kind: Kind, format: "json" | "csv") => {
  const context: RowContext = { client, url: `https://files.example/data.${format}?Signature=abc`, dataset: "1253" }
  const provenance = client.provenance({ url: context.url, sha256: "0".repeat(64) })
  const mapping = mappings[kind] as Mapping<Kind>
  const toEvent = (row: Decoding.Row) =>
    Effect.map(mapping.decode(row, context), ({ key, data }) =>
      Feed.makeEvent({
        source: sourceId,
        stream: streamName("1253"),
        kind: mapping.kind,
        key: [mapping.keyPrefix("1253"), ...key.map(encodeURIComponent)].join("/"),
        observedAt,
        provenance,
        data
      })
    )
  return (body: Uint8Array) =>
    Source.rowsToItems(
      (format === "json" ? Decoding.jsonArrayRows : Decoding.csvRows)(pieces(body), context),
      "skip",
      toEvent
    ).pipe(
      Stream.runForEach((item) => Effect.sync(() => (item._tag === "Event" ? Feed.encode(item.event) : item._tag)))
    )
}

const tables: Readonly<Record<Kind, (size: number, seed: number) => Generator.Table>> = {
  Candidate: Generator.candidates,
  Endorsement: Generator.endorsements,
  DatasetRow: Generator.measures
}

const fileOf = (table: Generator.Table, format: "json" | "csv", csv?: Generator.CsvOptions) =>
  Buffer.concat([...Generator.file(table, format, { csv }).bytes()])

/**
 * @since 0.1.0
 */
export const targets: ReadonlyArray<Fuzz.Target> = (["Candidate", "Endorsement", "DatasetRow"] as const).flatMap(
  (kind) =>
    (["json", "csv"] as const).map(
      (format): Fuzz.Target => ({
        name: `ballotpedia/${kind}-${format}`,
        format,
        seeds: [
          fileOf(tables[kind](3, 1), format),
          fileOf(tables[kind](20, 2), format, { bom: true, newline: "\n" }),
          fileOf(tables[kind](60, 3), format)
        ],
        run: read(kind, format)
      })
    )
)

if (import.meta.main) await Fuzz.main({ module: import.meta.url, targets, bodies: 30_000 })
