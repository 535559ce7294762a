import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Schema, Stream } from "effect"
import { Decoding, Source, SourceError } from "../src/index.ts"
import { context } from "./support/decodeContext.ts"

const encoder = new TextEncoder()

/** The text cut into pieces at the given byte offsets, as a network would deliver it. */
const pieces = (text: string, cuts: ReadonlyArray<number>) => {
  const bytes = encoder.encode(text)
  const bounds = [0, ...cuts, bytes.byteLength]
  return Stream.fromIterable(bounds.slice(1).map((end, i) => bytes.subarray(bounds[i]!, end)))
}

const rows = (outcomes: ReadonlyArray<Decoding.RowOutcome>) =>
  outcomes.map((o) => (o._tag === "Row" ? o.values : `malformed row ${o.error.row}: ${o.error.detail}`))

/** Text as a network would deliver it: 64 KiB pieces, made as they are read. */
const streamed = (...parts: ReadonlyArray<string>) =>
  Stream.fromIterable(parts).pipe(
    Stream.flatMap((part) => {
      const bytes = encoder.encode(part)
      return Stream.fromIterable(
        Array.from({ length: Math.ceil(bytes.byteLength / 65536) }, (_, i) =>
          bytes.subarray(i * 65536, (i + 1) * 65536)
        )
      )
    })
  )

const nested = (depth: number) => `${"[".repeat(depth - 1)}1${"]".repeat(depth - 1)}`

/** The error of a stream that must fail typed; a defect fails the assertion. */
const typedFailure = <A>(exit: Exit.Exit<A, SourceError.DecodeError>) => {
  assert.isTrue(Exit.isFailure(exit), "expected the stream to fail")
  const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
  assert.isDefined(error, "expected a typed failure, not a defect")
  return error!
}

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

  it.effect("keeps any column name as the row's own value, __proto__ included, never its prototype", () =>
    Effect.gen(function* () {
      const csv = "__proto__,constructor,name,name\r\n{},x,Ana,Bea\r\n"
      const [row] = yield* Stream.runCollect(Decoding.csvRows(pieces(csv, []), context))
      assert.strictEqual(row?._tag, "Row")
      const values = (row as Decoding.Row).values
      assert.strictEqual(Object.getPrototypeOf(values), Object.prototype)
      assert.deepStrictEqual(Object.getOwnPropertyDescriptor(values, "__proto__")?.value, "{}")
      assert.strictEqual(Object.getOwnPropertyDescriptor(values, "constructor")?.value, "x")
      assert.strictEqual(values.name, "Bea", "the last of two columns of one name wins")
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
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
      assert.isTrue(error instanceof SourceError.DecodeError, String(error))
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
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
      assert.isTrue(error instanceof SourceError.DecodeError, String(error))
      assert.match(String(error?.message), /at character \d+/)
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

  it("decodes a row synchronously, as an Exit, so that bulk reads run no effect per row", () => {
    const schema = Schema.Struct({ votes: Schema.FiniteFromString })
    const good = Decoding.decodeRow(schema, { _tag: "Row", index: 0, values: { votes: "7" } }, context)
    const bad = Decoding.decodeRow(schema, { _tag: "Row", index: 3, values: { votes: "x" } }, context)
    assert.isTrue(Exit.isExit(good) && Exit.isExit(bad))
    assert.deepStrictEqual(good as unknown, Exit.succeed({ votes: 7 }))
    assert.isTrue(Exit.isFailure(bad as Exit.Exit<unknown, unknown>))
  })

  it.effect("keeps a row as it is under a record of unknown values, and still locates one that is no object", () =>
    Effect.gen(function* () {
      const schema = Schema.Record(Schema.String, Schema.Unknown)
      const values = { name: "Ana", votes: "12" }
      assert.strictEqual(yield* Decoding.decodeRow(schema, { _tag: "Row", index: 0, values }, context), values)
      const list = { _tag: "Row", index: 8, values: ["Ana"] as unknown as Record<string, unknown> } as const
      const error = yield* Effect.flip(Decoding.decodeRow(schema, list, context))
      assert.strictEqual(error.row, 8)
      assert.strictEqual(error.excerpt, '["Ana"]')
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

  it.effect("skips a CSV row larger than the limit, reports where it is, and reads the rows after it", () =>
    Effect.gen(function* () {
      // 17 MiB in one field: past the default limit of 16 MiB.
      const huge = "x".repeat(17 * 1024 * 1024)
      const read = yield* Stream.runCollect(
        Decoding.csvRows(streamed("a,b\r\n1,2\r\n", `3,"${huge}"\r\n`, "5,6\r\n"), context)
      )
      assert.deepStrictEqual(rows(read), [
        { a: "1", b: "2" },
        "malformed row 1: the row is larger than the 16777216 characters allowed",
        { a: "5", b: "6" }
      ])
      const small = yield* Stream.runCollect(
        Decoding.csvRows(streamed("a,b\n1,2\n", `3,${"y".repeat(500)}\n`, "5,6\n"), context, { maxRowSize: 100 })
      )
      assert.deepStrictEqual(rows(small)[1], "malformed row 1: the row is larger than the 100 characters allowed")
      assert.deepStrictEqual(rows(small)[2], { a: "5", b: "6" })
    })
  )

  it.effect("skips a JSON row larger than the limit, reports where it is, and reads the rows after it", () =>
    Effect.gen(function* () {
      const huge = "x".repeat(17 * 1024 * 1024)
      const read = yield* Stream.runCollect(
        Decoding.jsonArrayRows(streamed('[{"a":"1"},\n', `{"a":"${huge}"},\n`, '{"a":"3"}]'), context)
      )
      assert.deepStrictEqual(rows(read), [
        { a: "1" },
        "malformed row 1: the row is larger than the 16777216 characters allowed",
        { a: "3" }
      ])
    })
  )

  it.effect("skips a JSON row nested too deep, or not valid JSON, and reads the rows around it", () =>
    Effect.gen(function* () {
      const json = `[{"a":1},{"deep":${nested(2000)}},{"a":tru},{"b":${nested(64)}},{"c":${nested(65)}},{"a":2}]`
      for (const cut of [1, 9, 20, 2100, 4020, 4040]) {
        const read = rows(yield* Stream.runCollect(Decoding.jsonArrayRows(pieces(json, [cut]), context)))
        assert.deepStrictEqual(read[0], { a: 1 })
        assert.match(String(read[1]), /^malformed row 1: the row nests arrays and objects deeper than the 64 levels/)
        assert.match(String(read[2]), /^malformed row 2: not valid JSON/)
        assert.deepStrictEqual(read[3], { b: JSON.parse(nested(64)) })
        assert.match(String(read[4]), /^malformed row 4: the row nests/)
        assert.deepStrictEqual(read[5], { a: 2 })
      }
    })
  )

  it.effect("finds JSON rows whatever escapes and brackets their strings hold, however the bytes are cut", () =>
    Effect.gen(function* () {
      const values = [
        { s: 'a\\"b' },
        { s: "\\" },
        { s: "\\\\" },
        { s: '"],[{' },
        { s: "é\u2028\ud83d\ude00" },
        { n: [{}] }
      ]
      const json = ` \n[ ${values.map((v) => JSON.stringify(v)).join(" ,\n ")} ]\n `
      const length = encoder.encode(json).byteLength
      for (let cut = 1; cut < length; cut++) {
        const read = yield* Stream.runCollect(Decoding.jsonArrayRows(pieces(json, [cut]), context))
        assert.deepStrictEqual(rows(read), values, `cut at byte ${cut}`)
      }
      for (const empty of ["[]", " [ \n ] "]) {
        assert.deepStrictEqual(rows(yield* Stream.runCollect(Decoding.jsonArrayRows(pieces(empty, [1]), context))), [])
      }
    })
  )

  it.effect("fails typed, at the offset, when the JSON array itself breaks", () =>
    Effect.gen(function* () {
      for (const [json, at] of [
        ['{"a":1}', 0],
        ['[{"a":1}] x', 10],
        ["", 0],
        ['[{"a":"1}]', 10]
      ] as const) {
        const error = typedFailure(
          yield* Effect.exit(Stream.runCollect(Decoding.jsonArrayRows(pieces(json, []), context)))
        )
        assert.include(error.detail, `at character ${at}`, json)
      }
    })
  )

  it.effect("skips a CSV row with a quote out of place and reads the rows after it", () =>
    Effect.gen(function* () {
      const csv = 'a,b\n1,x"y\n2,"q"z\n3,"ok"\n'
      const read = yield* Stream.runCollect(Decoding.csvRows(pieces(csv, [9]), context))
      assert.deepStrictEqual(rows(read), [
        "malformed row 0: a quote inside an unquoted field",
        "malformed row 1: text after the closing quote of a field",
        { a: "3", b: "ok" }
      ])
    })
  )

  it.effect("counts the fields of a row wider than the header without keeping them", () =>
    Effect.gen(function* () {
      const read = yield* Stream.runCollect(
        Decoding.csvRows(pieces(`a,b\n1${",".repeat(100_000)}\n2,3\n`, []), context)
      )
      assert.deepStrictEqual(rows(read), ["malformed row 0: expected 2 fields, found 100001", { a: "2", b: "3" }])
    })
  )

  it.effect("quotes a value nested deeper than the call stack reaches in a row's error, typed", () =>
    Effect.gen(function* () {
      const deep = JSON.parse(nested(200_000))
      const row: Decoding.Row = { _tag: "Row", index: 3, values: { name: deep } }
      const error = yield* Effect.flip(Decoding.decodeRow(Schema.Struct({ name: Schema.String }), row, context))
      assert.strictEqual(error.column, "name")
      assert.isTrue(error.excerpt.startsWith("[[[["))
    })
  )

  it.effect("checks the depth of a decoded value without recursion, failing at the deep path", () =>
    Effect.gen(function* () {
      const Status = Schema.Record(Schema.String, Schema.Unknown.check(Decoding.isWithinDepth(3)))
      const ok = { a: [[1]], b: { c: { d: 1 } } }
      assert.deepStrictEqual(yield* Schema.decodeUnknownEffect(Status)(ok), ok)
      const deep = JSON.parse(`{"a":1,"b":[{"c":${nested(1_000_000)}}]}`)
      const error = yield* Effect.flip(Schema.decodeUnknownEffect(Status)(deep))
      assert.include(error.message, "nested deeper than the 3 levels allowed")
      assert.include(error.message, '["b"][0]["c"]')
    })
  )

  it.effect("decodes a JSON body, locating invalid text by offset and a mismatch by path and offset", () =>
    Effect.gen(function* () {
      const Body = Schema.Struct({ races: Schema.Array(Schema.Struct({ votes: Schema.Number })) })
      const located = (detail: string, offset: number, path: string | undefined) => ({ detail, offset, path })
      const text = '{"races":[{"votes":1},{"votes":"12a"}]}'
      assert.deepStrictEqual(yield* Decoding.decodeJsonText(Body, '{"races":[{"votes":1}]}', located), {
        races: [{ votes: 1 }]
      })
      const mismatch = yield* Effect.flip(Decoding.decodeJsonText(Body, text, located))
      assert.strictEqual(mismatch.path, "$.races[1].votes")
      assert.strictEqual(mismatch.offset, text.indexOf('"12a"'))
      const invalid = yield* Effect.flip(Decoding.decodeJsonText(Body, '{"races":[', located))
      assert.match(invalid.detail, /^not valid JSON/)
      assert.isUndefined(invalid.path)
    })
  )
})
