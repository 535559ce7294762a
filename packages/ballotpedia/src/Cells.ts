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
import { Decoding, Feed, Numbers } from "@electfeed/core"
import { Result, Schema, SchemaGetter } from "effect"

// Each cell's decoding by hand, for rows decoded by the million, from the same predicates as its schema:
// a cell it does not take on itself is left to the schema, which reports it (`Decoding.withFastDecode`).
const unsure: Decoding.Unsure = Decoding.unsure
const text = Decoding.fastDecoderOf(Feed.CellText)!
const required = (value: unknown): string | Decoding.Unsure => {
  const cell = text(value)
  return cell === null ? unsure : cell
}

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
export const Required = Decoding.withFastDecode(
  Text.pipe(Schema.refine((value): value is string => value !== null, { expected: "a value, not an empty cell" })),
  (value) => required(value)
)

// Core encodes each part of a key with `Feed.keyPart`, which refuses text with a lone surrogate: such a
// cell is a decode error naming its column, so that the row is skipped or fails the read by the
// malformed-rows policy, like any row that does not decode.
// The common case of `keyable`, by hand: well-formed text is always a key part.
const keyableByHand = <A extends string | null>(value: A | Decoding.Unsure): A | Decoding.Unsure =>
  value === null || value === unsure || value.isWellFormed() ? value : unsure

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
export const KeyText = Decoding.withFastDecode(Text.pipe(Schema.check(keyable)), (value) => keyableByHand(text(value)))

/**
 * A cell that is part of the row's key and may not be empty, such as an id.
 *
 * @since 0.2.0
 * @category cells
 */
export const Key = Decoding.withFastDecode(Required.pipe(Schema.check(keyable)), (value) =>
  keyableByHand(required(value))
)

/**
 * A cell kept as text even when empty (`""` stays `""`), such as a first name.
 *
 * @since 0.1.0
 * @category cells
 */
export const Verbatim = Decoding.withFastDecode(
  Text.pipe(
    Schema.decodeTo(Schema.String, {
      decode: SchemaGetter.transform((value) => value ?? ""),
      encode: SchemaGetter.transform((value) => (value === "" ? null : value))
    })
  ),
  (value) => {
    const cell = text(value)
    return cell === unsure ? unsure : (cell ?? "")
  }
)

/**
 * `"true"` or `"false"` as a boolean, an empty cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Flag = Decoding.withFastDecode(
  Text.pipe(
    Schema.refine(
      (value): value is "true" | "false" | null => value === null || value === "true" || value === "false",
      { expected: '"true", "false" or an empty cell' }
    ),
    Schema.decodeTo(Schema.NullOr(Schema.Boolean), {
      decode: SchemaGetter.transform((value) => (value === null ? null : value === "true")),
      encode: SchemaGetter.transform((value) => (value === null ? null : value ? "true" : "false"))
    })
  ),
  (value) => {
    const cell = text(value)
    return cell === null ? null : cell === "true" ? true : cell === "false" ? false : unsure
  }
)

/**
 * A whole number written in digits, plain or grouped by commas (core's `Numbers.IntFromCount`), an empty
 * cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Count = Decoding.withFastDecode(
  Text.pipe(Schema.decodeTo(Schema.NullOr(Numbers.IntFromCount))),
  (value) => {
    const cell = text(value)
    return cell === null || cell === unsure ? cell : (Numbers.parseCount(cell) ?? unsure)
  }
)

const isDay = (value: string | null) => value === null || /^\d{4}-\d{2}-\d{2}$/.test(value)

/**
 * A calendar date as `YYYY-MM-DD`, an empty cell as null.
 *
 * @since 0.1.0
 * @category cells
 */
export const Day = Decoding.withFastDecode(
  Text.pipe(Schema.check(Schema.makeFilter(isDay, { expected: "a date as YYYY-MM-DD or an empty cell" }))),
  (value) => {
    const cell = text(value)
    return cell !== unsure && isDay(cell) ? cell : unsure
  }
)
