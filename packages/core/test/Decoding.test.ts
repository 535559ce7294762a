import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, Stream } from "effect"
import { Decoding, Source, SourceError } from "../src/index.ts"

const client = {
  decodeError: (fields: {
    readonly url: string
    readonly detail: string
    readonly input: string
    readonly row?: number | undefined
    readonly column?: string | undefined
  }) =>
    new SourceError.DecodeError({
      source: "test",
      url: fields.url,
      detail: fields.detail,
      excerpt: fields.input,
      ...(fields.row === undefined ? {} : { row: fields.row }),
      ...(fields.column === undefined ? {} : { column: fields.column })
    })
}
const context = { client, url: "https://files.example/data" }
const encoder = new TextEncoder()

/** The text cut into pieces at the given byte offsets, as a network would deliver it. */
const pieces = (text: string, cuts: ReadonlyArray<number>) => {
  const bytes = encoder.encode(text)
  const bounds = [0, ...cuts, bytes.byteLength]
  return Stream.fromIterable(bounds.slice(1).map((end, i) => bytes.subarray(bounds[i]!, end)))
}

const rows = (outcomes: ReadonlyArray<Decoding.RowOutcome>) =>
  outcomes.map((o) => (o._tag === "Row" ? o.values : `malformed row ${o.error.row}: ${o.error.detail}`))

const nasty =
  '\uFEFFname,note,n\r\n"Jamie ""James"" Gallagher","Fresno, CA",1\r\nGretha Solórzano,"two\nlines",2\r\n,,\r\n'

describe("Decoding", () => {
  it.effect("reads CSV records with quotes, commas, line breaks, CRLF and a BOM, however the bytes are cut", () =>
    Effect.gen(function* () {
      const expected = [
        { name: 'Jamie "James" Gallagher', note: "Fresno, CA", n: "1" },
        { name: "Gretha Solórzano", note: "two\nlines", n: "2" },
        { name: "", note: "", n: "" }
      ]
      const length = encoder.encode(nasty).byteLength
      for (let cut = 1; cut < length; cut++) {
        const read = yield* Stream.runCollect(Decoding.csvRows(pieces(nasty, [cut]), context))
        assert.deepStrictEqual(rows(read), expected, `cut at byte ${cut}`)
      }
    })
  )

  it.effect("reports a CSV record of the wrong width as malformed and keeps the rest", () =>
    Effect.gen(function* () {
      const read = yield* Stream.runCollect(Decoding.csvRows(pieces("a,b\n1,2\n3\n4,5\n", []), context))
      assert.deepStrictEqual(rows(read), [
        { a: "1", b: "2" },
        "malformed row 1: expected 2 fields, found 1",
        { a: "4", b: "5" }
      ])
    })
  )

  it.effect("fails with a located DecodeError when the CSV itself breaks", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Stream.runCollect(Decoding.csvRows(pieces('a,b\n1,"open\n', []), context)))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      assert.strictEqual(error?._tag === "Fail" && (error.error as SourceError.DecodeError)._tag, "DecodeError")
    })
  )

  it.effect("reads the objects of a JSON array, however the bytes are cut", () =>
    Effect.gen(function* () {
      const json = '[{"name":"Ana \\"A\\" Ruiz","n":1},\n {"name":"Solórzano","tags":["a,b"]}, 7, {"x":null}]'
      const length = encoder.encode(json).byteLength
      for (let cut = 1; cut < length; cut += 3) {
        const read = yield* Stream.runCollect(Decoding.jsonArrayRows(pieces(json, [cut]), context))
        assert.deepStrictEqual(rows(read), [
          { name: 'Ana "A" Ruiz', n: 1 },
          { name: "Solórzano", tags: ["a,b"] },
          "malformed row 2: expected an object for the row",
          { x: null }
        ])
      }
    })
  )

  it.effect("fails with the character offset when the JSON breaks off", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Stream.runCollect(Decoding.jsonArrayRows(pieces('[{"a":1},{"a":', []), context)))
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      assert.isTrue(error?._tag === "Fail")
      assert.match((error as { error: SourceError.DecodeError }).error.message, /at character \d+/)
    })
  )

  it.effect("names the row and column of a value that does not decode", () =>
    Effect.gen(function* () {
      const schema = Schema.Struct({ votes: Schema.FiniteFromString, name: Schema.String })
      const row: Decoding.Row = { _tag: "Row", index: 41, values: { name: "Ana", votes: "12a" } }
      const error = yield* Effect.flip(Decoding.decodeRow(schema, row, context))
      assert.strictEqual(error.row, 41)
      assert.strictEqual(error.column, "votes")
      assert.strictEqual(error.excerpt, "12a")
    })
  )

  it.effect("skips or fails on malformed rows by policy, keeping the rows around them", () =>
    Effect.gen(function* () {
      const outcomes: Array<Decoding.RowOutcome> = [
        { _tag: "Row", index: 0, values: { n: "1" } },
        { _tag: "Row", index: 1, values: { n: "x" } },
        { _tag: "Row", index: 2, values: { n: "3" } }
      ]
      const toEvent = (row: Decoding.Row) =>
        Effect.map(Decoding.decodeRow(Schema.Struct({ n: Schema.FiniteFromString }), row, context), ({ n }) => ({
          source: "t",
          stream: "s",
          kind: "DatasetRow" as const,
          key: String(n),
          observedAt: "1970-01-01T00:00:00.000Z",
          provenance: { url: "u", sha256: "0".repeat(64), connector: "t@0" },
          data: { dataset: "s", row: row.index, columns: {} }
        }))
      const skipped = yield* Stream.runCollect(Source.rowsToItems(Stream.fromIterable(outcomes), "skip", toEvent))
      assert.deepStrictEqual(
        skipped.map((i) =>
          i._tag === "Event" ? i.event.key : i._tag === "Skipped" ? `skipped ${i.error.row}` : i._tag
        ),
        ["1", "skipped 1", "3"]
      )
      const emitted: Array<string> = []
      const failed = yield* Effect.exit(
        Source.rowsToItems(Stream.fromIterable(outcomes), "fail", toEvent).pipe(
          Stream.runForEach((i) => Effect.sync(() => void emitted.push(i._tag === "Event" ? i.event.key : i._tag)))
        )
      )
      assert.deepStrictEqual(emitted, ["1"])
      assert.isTrue(Exit.isFailure(failed))
    })
  )
})
