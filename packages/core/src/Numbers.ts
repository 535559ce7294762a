/**
 * Numbers as sources write them: counts with thousands separators (`"1,234"`) and percents with or
 * without a sign (`"96.3%"`, `"52.5"`). Each comes as a plain function (`undefined` for text that is not
 * one) and as a Schema from text that rejects anything else with an issue quoting the text.
 *
 * The schemas encode back to text that decodes to the same number: a count as plain digits, a percent
 * with a `%` where the sign is required.
 *
 * A count is digits, either plain (`"7158901"`) or grouped by threes with commas (`"6,455,637"`), and no
 * larger than a safe integer. A percent is digits with an optional decimal part. Neither has a sign, a
 * space, an exponent or a stray separator (`"1,2"`, `"12,34,567"`, `"-5"`, `" 12"`, `"1e3"`, `"NaN"`).
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as TextSchema from "./internal/textSchema.ts"

/**
 * A schema from text to `to`, by `read` (`undefined`: not such text), for a source's own text formats. A
 * failure is a schema issue that says what was expected and quotes the text. It encodes with `write`, and
 * refuses to without one.
 *
 * @since 0.2.0
 * @category schemas
 */
export const fromText = TextSchema.fromText

/**
 * Upstream text quoted in a message, cut to its first 80 characters: a field can be megabytes long.
 *
 * @since 0.2.0
 * @category formatting
 */
export const quote: (text: string) => string = TextSchema.quote

const countPattern = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/

const decimalPattern = /^\d+(?:\.\d+)?$/

/**
 * A count (`"1,234"` or `"1234"`) as a number, or `undefined` when the text is not one.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parseCount = (text: string): number | undefined => {
  if (!countPattern.test(text)) return undefined
  const value = Number(text.replaceAll(",", ""))
  return Number.isSafeInteger(value) ? value : undefined
}

/**
 * Whether a percent is written with a `%` sign: `"required"` (`"96.3%"`), `"absent"` (`"96.3"`) or
 * `"optional"` (either).
 *
 * @since 0.2.0
 * @category models
 */
export type PercentSign = "required" | "absent" | "optional"

/**
 * A percent (`"96.3%"`, or `"96.3"` as `sign` allows; default: either) as a number, or `undefined` when
 * the text is not one.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parsePercent = (text: string, sign: PercentSign = "optional"): number | undefined => {
  const signed = text.endsWith("%")
  if (signed ? sign === "absent" : sign === "required") return undefined
  const digits = signed ? text.slice(0, -1) : text
  if (!decimalPattern.test(digits)) return undefined
  const value = Number(digits)
  return Number.isFinite(value) ? value : undefined
}

/**
 * `"1,234"` or `"1234"` to 1234.
 *
 * @since 0.2.0
 * @category schemas
 */
export const IntFromCount = TextSchema.fromText(Schema.Int, 'a count like "1,234" or "1234"', parseCount, String)

/**
 * A schema from a percent written as `sign` says to a number.
 *
 * @since 0.2.0
 * @category schemas
 */
export const percentFromString = (sign: PercentSign) =>
  TextSchema.fromText(
    Schema.Finite,
    sign === "required"
      ? 'a percent like "96.3%"'
      : sign === "absent"
        ? 'a percent like "96.3"'
        : 'a percent like "96.3%" or "96.3"',
    (text) => parsePercent(text, sign),
    (percent) => (sign === "required" ? `${percent}%` : String(percent))
  )

/**
 * `"96.3%"` or `"96.3"` to 96.3.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PercentFromString = percentFromString("optional")
