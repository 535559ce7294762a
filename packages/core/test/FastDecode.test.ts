import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, SchemaGetter } from "effect"
import { Decoding, Feed } from "../src/index.ts"
import { context } from "./support/decodeContext.ts"

const row = (values: Record<string, unknown>, index = 0): Decoding.Row => ({ _tag: "Row", index, values })

// A row's outcome through `decodeRow` (the fast path where there is one) and through the schema alone.
const both = (schema: Schema.Decoder<unknown>, values: Record<string, unknown>) => ({
  fast: Effect.runSyncExit(Decoding.decodeRow(schema, row(values), context)),
  full: Schema.decodeUnknownExit(schema)(values)
})

const assertSame = (schema: Schema.Decoder<unknown>, values: Record<string, unknown>, label: string) => {
  const { fast, full } = both(schema, values)
  assert.strictEqual(Exit.isSuccess(fast), Exit.isSuccess(full), label)
  if (Exit.isSuccess(fast) && Exit.isSuccess(full)) assert.deepStrictEqual(fast.value, full.value, label)
}

// Cells as upstream may write them, good and bad.
const cells: ReadonlyArray<unknown> = [
  "",
  "Ana Ruiz",
  " ",
  "0",
  "true",
  "a\uD800b",
  "\uDC00",
  0,
  -0,
  17,
  -0.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  {},
  ["x"],
  () => "x",
  10n
]

describe("Decoding.withFastDecode", () => {
  it.effect("decodes a struct of cells with fast decoders without the schema, which only sees the rest", () =>
    Effect.gen(function* () {
      let bySchema = 0
      let byHand = 0
      const Upper = Decoding.withFastDecode(
        Schema.String.pipe(
          Schema.decodeTo(Schema.String, {
            decode: SchemaGetter.transform((text: string) => {
              bySchema++
              return text.toUpperCase()
            }),
            encode: SchemaGetter.transform((text: string) => text)
          })
        ),
        (input) => {
          byHand++
          return typeof input === "string" ? input.toUpperCase() : Decoding.unsure
        }
      )
      const schema = Schema.Struct({ first: Upper, last: Upper })
      assert.deepStrictEqual(yield* Decoding.decodeRow(schema, row({ first: "ana", last: "ruiz", x: 1 }), context), {
        first: "ANA",
        last: "RUIZ"
      })
      assert.strictEqual(bySchema, 0)
      assert.strictEqual(byHand, 2)
      const error = yield* Effect.flip(Decoding.decodeRow(schema, row({ first: "ana", last: 7 }, 12), context))
      assert.strictEqual(error.row, 12)
      assert.strictEqual(error.column, "last")
      assert.strictEqual(error.excerpt, "7")
      assert.isAbove(bySchema, 0)
    })
  )

  it("gives what the schema gives for Feed.CellText, in a struct, an optional key and a record", () => {
    const struct = Schema.Struct({ a: Feed.CellText, b: Feed.CellText })
    const optional = Schema.Struct({ a: Feed.CellText, id: Schema.optionalKey(Feed.CellText) })
    const record = Schema.Record(Schema.String, Feed.CellText)
    for (const cell of cells) {
      const label = typeof cell === "bigint" ? `${cell}n` : String(cell)
      assertSame(struct, { a: "x", b: cell }, `struct ${label}`)
      assertSame(optional, { a: cell, id: cell }, `optional ${label}`)
      assertSame(record, { a: "x", b: cell }, `record ${label}`)
    }
    assertSame(struct, { a: "x" }, "a missing key")
    assertSame(optional, { a: "x" }, "an absent optional key")
    assertSame(optional, { a: "x", id: undefined }, "an optional key set to undefined")
    assertSame(Schema.Struct({ constructor: Feed.CellText }), {}, "an inherited key")
    assertSame(record, JSON.parse('{"a":"x","__proto__":"y"}'), "a __proto__ column")
    assertSame(struct, ["x", "y"] as unknown as Record<string, unknown>, "an array")
  })

  it("is not used by a schema derived from one that has it", () => {
    const Checked = Feed.CellText.check(Schema.makeFilter((value) => value !== "no" || "not no"))
    const { fast } = both(Schema.Struct({ a: Checked }), { a: "no" })
    assert.isTrue(Exit.isFailure(fast))
  })
})
