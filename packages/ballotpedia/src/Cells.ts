/**
 * The cells of a bulk file, as typed values.
 *
 * Ballotpedia writes every cell as text (`""` when empty, `"true"`/`"false"` for booleans), in JSON and in
 * CSV alike. A JSON number, boolean or `null` is read as the text CSV would carry for it, so that the same
 * dataset gives the same values in either format. Each codec names what it expected, which a decode
 * error then reports with the row and the column.
 *
 * @since 0.1.0
 */
import { Feed, Numbers } from "@electfeed/core"
import { Result, Schema, SchemaGetter } from "effect"

/**
 * Any cell as text, `""` as null: core's `Feed.CellText`, which rejects an object or array.
 *
 * @since 0.1.0
 * @category cells
 */
export const Text = Feed.CellText

/**
 * A cell that may not be empty, such as an id.
 *
 * @since 0.1.0
 * @category cells
 */
export const Required = Text.pipe(
  Schema.refine((value): value is string => value !== null, { expected: "a value, not an empty cell" })
)

// Core encodes each part of a key with `Feed.keyPart`, which refuses text with a lone surrogate: such a
// cell is a decode error naming its column, so that the row is skipped or fails the read by the
// malformed-rows policy, like any row that does not decode.
const keyable = Schema.makeFilter(
  (value: string | null) => {
    const part = value === null ? undefined : Feed.keyPart(value)
    return part === undefined || Result.isSuccess(part) || `the value cannot be part of the row's key: ${part.failure}`
  },
  { expected: "text that can be part of a key" }
)

/**
 * A cell that is part of the row's key, `""` as null.
 *
 * @since 0.2.0
 * @category cells
 */
export const KeyText = Text.pipe(Schema.check(keyable))

/**
 * A cell that is part of the row's key and may not be empty, such as an id.
 *
 * @since 0.2.0
 * @category cells
 */
export const Key = Required.pipe(Schema.check(keyable))

/**
 * A cell kept as text even when empty (`""` stays `""`), such as a first name.
 *
 * @since 0.1.0
 * @category cells
 */
export const Verbatim = Text.pipe(
  Schema.decodeTo(Schema.String, {
    decode: SchemaGetter.transform((value) => value ?? ""),
    encode: SchemaGetter.transform((value) => (value === "" ? null : value))
  })
)

/**
 * `"true"` or `"false"` as a boolean, an empty cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Flag = Text.pipe(
  Schema.refine((value): value is "true" | "false" | null => value === null || value === "true" || value === "false", {
    expected: '"true", "false" or an empty cell'
  }),
  Schema.decodeTo(Schema.NullOr(Schema.Boolean), {
    decode: SchemaGetter.transform((value) => (value === null ? null : value === "true")),
    encode: SchemaGetter.transform((value) => (value === null ? null : value ? "true" : "false"))
  })
)

/**
 * A whole number written in digits, plain or grouped by commas (core's `Numbers.IntFromCount`), an empty
 * cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Count = Text.pipe(Schema.decodeTo(Schema.NullOr(Numbers.IntFromCount)))

/**
 * A calendar date as `YYYY-MM-DD`, an empty cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Day = Text.pipe(
  Schema.check(
    Schema.makeFilter((value) => value === null || /^\d{4}-\d{2}-\d{2}$/.test(value), {
      expected: "a date as YYYY-MM-DD or an empty cell"
    })
  )
)
