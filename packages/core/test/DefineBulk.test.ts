import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import { Progress, Source } from "../src/index.ts"
import type { BulkOptions } from "../src/internal/bulk.ts"
import * as FileName from "../src/internal/fileName.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { keys, lastCheckpoints, read, readIn, served } from "./fixtures/DefineReads.ts"
import * as Example from "./fixtures/Example.ts"

const precincts = { streams: ["precincts"] }

/** A source of one bulk stream, `people`, of the file `body` behind a link of the simulator. */
const fileSource = (
  body: string,
  format: "json" | "csv",
  options: Pick<BulkOptions<unknown, "DatasetRow", { readonly id: string }>, "entity" | "keyPrefix">
) =>
  Effect.map(
    Simulator.serve((request) =>
      request.path === "/link"
        ? { status: 200, body: JSON.stringify({ url: `http://${request.headers.host}/files/rows.${format}` }) }
        : { status: 200, headers: { "content-type": `${format === "csv" ? "text/csv" : "application/json"}` }, body }
    ),
    (sim) => ({
      config: { url: sim.url },
      source: Source.define({
        id: "files",
        package: { name: "files", version: "1.0.0" },
        description: "a file",
        config: Schema.Struct({ url: Schema.String }),
        http: (config) => ({ baseUrl: config.url }),
        streams: {
          people: Source.bulk({
            kind: "DatasetRow",
            key: "…",
            description: "people",
            link: ({ client }) =>
              Effect.map(
                client.json(HttpClientRequest.get("/link"), Schema.Struct({ url: Schema.String })),
                ({ value }) => value.url
              ),
            format,
            row: Schema.Struct({ id: Schema.String }),
            ...options
          })
        }
      })
    })
  )

describe("Source.bulk", () => {
  it.effect("emits a checkpoint every N rows and at the end", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      const items = yield* read(sim.url, precincts)
      assert.deepStrictEqual(
        items.map((item) =>
          item._tag === "Event"
            ? item.event.key
            : item._tag === "Checkpoint"
              ? `checkpoint ${(item.state as { rows: number }).rows}`
              : "skipped"
        ),
        [
          "precinct/P-1",
          "precinct/P-2",
          "checkpoint 2",
          "precinct/P-3",
          "precinct/P-4",
          "checkpoint 4",
          "precinct/P-5",
          "checkpoint 5"
        ]
      )
    })
  )

  it.effect("resumes mid-file from a checkpoint: the rows after it, once", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      const first = yield* read(sim.url, precincts)
      const midway = first.find((item) => item._tag === "Checkpoint")!
      assert.strictEqual(midway._tag === "Checkpoint" && (midway.state as { complete: boolean }).complete, false)
      const resumed = yield* read(sim.url, {
        ...precincts,
        checkpoints: { precincts: (midway as { state: Schema.Json }).state }
      })
      assert.deepStrictEqual(keys(resumed), [
        "precincts precinct/P-3",
        "precincts precinct/P-4",
        "precincts precinct/P-5"
      ])
    })
  )

  it.effect("reads nothing of a file read to the end, and every row of a changed one", () =>
    Effect.gen(function* () {
      const data = served()
      const sim = yield* Example.serveWith(data)
      const first = yield* read(sim.url, precincts)
      const again = yield* read(sim.url, { ...precincts, checkpoints: lastCheckpoints(first) })
      assert.deepStrictEqual(keys(again), [])
      assert.strictEqual(sim.requests.at(-1)!.status, 304)
      data.precincts = JSON.stringify([{ precinct: "P-9", registered: 1 }])
      const changed = yield* read(sim.url, { ...precincts, checkpoints: lastCheckpoints(first) })
      assert.deepStrictEqual(keys(changed), ["precincts precinct/P-9"])
    })
  )

  it.effect("reports a malformed row, skips it and goes on", () =>
    Effect.gen(function* () {
      const data = served()
      data.precincts = JSON.stringify([
        { precinct: "P-1", registered: 1 },
        { precinct: "P-2", registered: "many" },
        { precinct: "P-3", registered: 3 }
      ])
      const sim = yield* Example.serveWith(data)
      const items = yield* read(sim.url, precincts)
      const skipped = items.flatMap((item) => (item._tag === "Skipped" ? [item.error] : []))
      assert.strictEqual(skipped.length, 1)
      assert.strictEqual(skipped[0]!.row, 1)
      assert.strictEqual(skipped[0]!.column, "registered")
      assert.deepStrictEqual(keys(items), ["precincts precinct/P-1", "precincts precinct/P-3"])
      // The skipped row counts: the resumed read goes on after it.
      assert.deepStrictEqual(
        items.flatMap((item) => (item._tag === "Checkpoint" ? [(item.state as { rows: number }).rows] : [])),
        [2, 3]
      )
    })
  )

  it.effect("reads a CSV file by its header's names", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve((request) =>
        request.path === "/link"
          ? { status: 200, body: JSON.stringify({ url: `http://${request.headers.host}/files/rows.csv` }) }
          : { status: 200, headers: { "content-type": "text/csv" }, body: 'id,name\r\n1,"Ruiz, Ana"\r\n2,Bo\r\n' }
      )
      const source = Source.define({
        id: "csv",
        package: { name: "csv", version: "1.0.0" },
        description: "a CSV file",
        config: Schema.Struct({ url: Schema.String }),
        http: (config) => ({ baseUrl: config.url }),
        streams: {
          people: Source.bulk({
            kind: "DatasetRow",
            key: "person/<id>",
            description: "people",
            link: ({ client }) =>
              Effect.map(
                client.json(HttpClientRequest.get("/link"), Schema.Struct({ url: Schema.String })),
                ({ value }) => value.url
              ),
            format: "csv",
            row: Schema.Struct({ id: Schema.String, name: Schema.String }),
            entity: (row, { index }) => ({
              key: ["person", row.id],
              data: { dataset: "people", row: index, columns: { name: row.name } }
            })
          })
        }
      })
      const items = yield* readIn(source, { url: sim.url })
      assert.deepStrictEqual(
        items.flatMap((item) =>
          item._tag === "Event" && item.event.kind === "DatasetRow" ? [item.event.data.columns] : []
        ),
        [{ name: "Ruiz, Ana" }, { name: "Bo" }]
      )
      assert.deepStrictEqual(keys(items), ["people person/1", "people person/2"])
    })
  )

  it.effect("a key prefix goes before every key as it is; the entity is told the file's URL", () =>
    Effect.gen(function* () {
      const { source, config } = yield* fileSource(JSON.stringify([{ id: "a/1" }, { id: "" }]), "json", {
        keyPrefix: ({ stream }) => `dataset:${stream}`,
        entity: (row, { files, url, index }) =>
          row.id === ""
            ? Effect.fail(files.decodeError({ url, row: index, column: "id", detail: "an empty id", input: "" }))
            : { key: ["id", row.id], data: { dataset: "people", row: index, columns: {} } }
      })
      const items = yield* readIn(source, config)
      assert.deepStrictEqual(keys(items), ["people dataset:people/id/a%2F1"])
      const skipped = items.flatMap((item) => (item._tag === "Skipped" ? [item.error] : []))
      assert.match(skipped[0]?.url ?? "", /\/files\/rows\.json$/)
    })
  )

  it.effect("parse progress is told once each 10,000 rows, not once per piece of the file", () =>
    Effect.gen(function* () {
      const rows = Array.from({ length: 60_000 }, (_, i) => `${1_000_000 + i}`)
      const { source, config } = yield* fileSource(`id\r\n${rows.join("\r\n")}\r\n`, "csv", {
        entity: (row, { index }) => ({ key: row.id, data: { dataset: "people", row: index, columns: {} } })
      })
      const reports: Array<Progress.ProgressReport> = []
      yield* readIn(source, config).pipe(
        Effect.provideService(Progress.ProgressReporter, (report) =>
          Effect.sync(() => void (report.phase === "parse" && reports.push(report)))
        )
      )
      const during = reports.filter((report) => !report.done).map((report) => Math.floor(report.rows / 10_000))
      assert.isAbove(during.length, 0)
      assert.deepStrictEqual(during, [...new Set(during)], "two reports within the same 10,000 rows")
      assert.deepStrictEqual(
        reports.filter((report) => report.done).map((report) => report.rows),
        [60_000]
      )
    })
  )
})

describe("bulk file names", () => {
  const odd = [
    "dataset:1253",
    "../../../outside/precious",
    "..",
    ".",
    "",
    "a/b",
    "a%2Fb",
    "a%252Fb",
    "a\\b",
    "é",
    "e\u0301",
    "\ud800",
    "\udc00",
    "nul\u0000",
    "CON",
    " ",
    "x".repeat(500),
    `${"x".repeat(499)}y`
  ]

  it("every stream name gives a plain file name of its own; an ordinary one stays readable", () => {
    const names = odd.map((stream) => FileName.of("ballotpedia", stream, "json"))
    assert.strictEqual(new Set(names).size, odd.length)
    for (const name of names) {
      assert.match(name, /^ballotpedia\.[A-Za-z0-9_%~-]*\.json$/)
      assert.notMatch(name, /[/\\]/)
      assert.isAtMost(Buffer.byteLength(name), 160)
    }
    assert.strictEqual(FileName.of("ballotpedia", "dataset:1253", "csv"), "ballotpedia.dataset%3A1253.csv")
  })
})
