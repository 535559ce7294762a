import { assert, describe, it } from "@effect/vitest"
import { Feed, type SourceError } from "@electfeed/core"
import { Effect } from "effect"
import { source } from "../src/index.ts"
import { Simulator } from "../src/testing/index.ts"
import { collect, comparable, configFor, events, failure, readAll, tempDirectory } from "./support.ts"

// Values a careless writer or reader gets wrong.
const nasty: ReadonlyArray<Record<string, string>> = [
  {
    id: "1",
    name: 'Robert "Bobby" Tables',
    note: "Smith, Jr., of Springfield",
    text: "line one\nline two",
    crlf: "first\r\nsecond",
    accents: "Núñez Øster Zoë Nguyễn 候选人",
    empty: ""
  },
  { id: "2", name: '"', note: ",", text: "\n", crlf: "\r\n", accents: "é", empty: "" },
  { id: "3", name: "", note: '""', text: "  spaces kept  ", crlf: "ends with CR\r", accents: "", empty: "" },
  { id: "4", name: "O'Brien", note: 'a,b,"c",d', text: "\n\nblank lines\n\n", crlf: "", accents: "ß", empty: "" }
]

describe("reading", () => {
  it.effect("the same datasets as JSON and as CSV give identical events", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve({
        datasets: Simulator.defaultDatasets.map((dataset) => ({ ...dataset, rows: 300 }))
      })
      const json = events(yield* readAll(configFor(sim, { format: "json" }), yield* tempDirectory))
      const csv = events(yield* readAll(configFor(sim, { format: "csv" }), yield* tempDirectory))
      assert.strictEqual(json.length, 900)
      assert.deepStrictEqual(csv.map(comparable), json.map(comparable))
      for (const event of json) yield* Feed.decodeEvent(event)
      assert.match(json[0]!.provenance.url, /\.json$/)
      assert.match(csv[0]!.provenance.url, /\.csv$/)
      assert.notStrictEqual(json[0]!.provenance.sha256, csv[0]!.provenance.sha256)
    })
  )

  for (const csv of [
    { bom: true, newline: "\r\n" },
    { bom: false, newline: "\n" }
  ] as const) {
    it.effect(
      `CSV quotes, commas, line breaks and accents survive (BOM ${csv.bom}, ${JSON.stringify(csv.newline)})`,
      () =>
        Effect.gen(function* () {
          const sim = yield* Simulator.serve({
            datasets: [{ id: "77", title: "Nasty values", rows: nasty, csv }]
          })
          const read = events(yield* readAll(configFor(sim, { format: "csv" }), yield* tempDirectory))
          assert.deepStrictEqual(
            read.map((event) => [event.key, event.data]),
            nasty.map((row, index) => [
              `dataset:77/id/${row["id"]}`,
              {
                dataset: "77",
                row: index,
                columns: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === "" ? null : v]))
              }
            ])
          )
          const json = events(yield* readAll(configFor(sim, { format: "json" }), yield* tempDirectory))
          assert.deepStrictEqual(json.map(comparable), read.map(comparable))
        })
    )
  }

  it.effect("a dataset without an id column is keyed by row number", () =>
    Effect.gen(function* () {
      const rows = nasty.map(({ id: _, ...row }) => row)
      const sim = yield* Simulator.serve({ datasets: [{ id: "78", title: "No ids", rows }] })
      const read = events(yield* readAll(configFor(sim), yield* tempDirectory))
      assert.deepStrictEqual(
        read.map((event) => event.key),
        ["dataset:78/row/0", "dataset:78/row/1", "dataset:78/row/2", "dataset:78/row/3"]
      )
    })
  )

  it.effect("endorsements become Endorsement events, other columns kept in details", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const read = events(yield* readAll(configFor(sim, { datasets: ["1098"] }), yield* tempDirectory))
      assert.strictEqual(read.length, 25)
      const first = read[0]!
      assert.strictEqual(first.kind, "Endorsement")
      if (first.kind !== "Endorsement") return
      assert.match(first.key, /^endorsement\/7000\/\d+(\/2020-\d\d-15)?$/)
      assert.deepStrictEqual(Object.keys(first.data.details).sort(), [
        "candidate_id",
        "endorser_id",
        "endorser_type",
        "office_name",
        "source_url",
        "state"
      ])
      assert.isString(first.data.endorser)
      assert.isString(first.data.endorsee)
    })
  )

  for (const format of ["json", "csv"] as const) {
    it.effect(`malformed rows are reported and skipped, the rows around them kept (${format})`, () =>
      Effect.gen(function* () {
        const sim = yield* Simulator.serve()
        sim.breakRow("1253", 5)
        sim.corruptCell("1253", 9, "votes_for", "12a")
        const items = yield* readAll(configFor(sim, { format, datasets: ["1253"] }), yield* tempDirectory)
        const rows = items.flatMap((item) =>
          item._tag === "Event"
            ? [`event ${item.event.key}`]
            : item._tag === "Skipped"
              ? [`skipped ${item.error.row}`]
              : []
        )
        assert.strictEqual(rows.length, 40)
        assert.strictEqual(rows[5], "skipped 5")
        assert.strictEqual(rows[9], "skipped 9")
        assert.strictEqual(rows.filter((row) => row.startsWith("event")).length, 38)
        const skipped = items.flatMap((item) => (item._tag === "Skipped" ? [item.error] : []))
        assert.strictEqual(skipped[1]!.column, "votes_for")
        assert.include(skipped[1]!.message, "12a")
        const clean = yield* Simulator.serve()
        const expected = events(yield* readAll(configFor(clean, { format, datasets: ["1253"] }), yield* tempDirectory))
        assert.deepStrictEqual(
          events(items).map(comparable),
          expected.filter((_, index) => index !== 5 && index !== 9).map(comparable)
        )
      })
    )
  }

  it.effect("with malformedRows: fail, a bad value ends the read with a DecodeError after the rows before it", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      sim.corruptCell("1253", 7, "is_incumbent", "maybe")
      const { exit, items } = yield* collect(
        source.read(configFor(sim, { malformedRows: "fail" })),
        yield* tempDirectory
      )
      const error = failure(exit) as SourceError.DecodeError
      assert.strictEqual(error._tag, "DecodeError")
      assert.strictEqual(error.row, 7)
      assert.strictEqual(error.column, "is_incumbent")
      assert.match(error.message, /row 7, column is_incumbent/)
      const clean = yield* Simulator.serve()
      const expected = events(yield* readAll(configFor(clean, { datasets: ["1253"] }), yield* tempDirectory))
      assert.deepStrictEqual(events(items).map(comparable), expected.slice(0, 7).map(comparable))
    })
  )
})
