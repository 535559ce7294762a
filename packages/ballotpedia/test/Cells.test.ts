import { assert, describe, it } from "@effect/vitest"
import { Decoding, SourceError } from "@electfeed/core"
import { Effect, Exit, Schema } from "effect"
import * as Cells from "../src/Cells.ts"

const context = {
  client: {
    decodeError: (fields: { readonly url: string; readonly detail: string; readonly input: string }) =>
      new SourceError.DecodeError({ source: "test", url: fields.url, detail: fields.detail, excerpt: fields.input })
  },
  url: "https://files.example/candidates.csv"
}

// Cells as Ballotpedia writes them and as a broken or hostile file might.
const values: ReadonlyArray<unknown> = [
  "",
  "Ana Ruiz",
  " ",
  "true",
  "false",
  "True",
  "0",
  "17",
  "1,234",
  "6,455,637",
  "1,2",
  "12,34,567",
  "-5",
  " 12",
  "1e3",
  "9007199254740993",
  "2024-11-05",
  "2024-1-5",
  "2024-11-05T00:00:00Z",
  "a/b c",
  "a\uD800b",
  "\uDC00",
  "\uD83D\uDE00",
  0,
  17,
  -0.5,
  Number.NaN,
  true,
  false,
  null,
  undefined,
  {},
  ["x"]
]

const codecs = {
  Text: Cells.Text,
  Required: Cells.Required,
  KeyText: Cells.KeyText,
  Key: Cells.Key,
  Verbatim: Cells.Verbatim,
  Flag: Cells.Flag,
  Count: Cells.Count,
  Day: Cells.Day
}

describe("Cells", () => {
  it("decode every cell in a row as their schemas do, good and bad alike", () => {
    for (const [name, codec] of Object.entries(codecs)) {
      const row = Schema.Struct({ cell: codec as Schema.Codec<unknown, unknown> })
      for (const value of values) {
        const label = `${name} ${JSON.stringify(value)}`
        const exit = Effect.runSyncExit(
          Decoding.decodeRow(row, { _tag: "Row", index: 0, values: { cell: value } }, context)
        )
        const full = Schema.decodeUnknownExit(row)({ cell: value })
        assert.strictEqual(Exit.isSuccess(exit), Exit.isSuccess(full), label)
        if (Exit.isSuccess(exit) && Exit.isSuccess(full)) assert.deepStrictEqual(exit.value, full.value, label)
      }
    }
  })
})
