/**
 * The SOS writes every number as formatted text. These schemas read that text, exactly as it appears in
 * real bodies, and reject anything else with a message that quotes it.
 *
 * - Vote counts: comma-grouped for candidates (`"6,455,637"`), plain for yes/no votes (`"7158901"`).
 * - Percents: one decimal (`"52.5"`, `"0.0"`, `"100.0"`).
 * - `Reporting`: `"47% (11,408 of 19,788) precincts reporting"`; candidate contests drop a trailing `.0`
 *   (`"100%"`), measures and retentions keep it (`"100.0%"`), and 100% is never guaranteed.
 * - `ReportingTime`: `"November 5, 2024, 11:55 p.m."`, Pacific time without an offset, no zero padding,
 *   `"12:11 a.m."` after midnight. It becomes ISO-8601 with the Pacific offset of that day
 *   (`2024-11-05T23:55:00-08:00`, `2024-10-30T11:59:00-07:00`).
 *
 * The schemas only decode: the connector reads the SOS's formats and never writes them.
 *
 * @since 0.1.0
 */

import { Feed } from "@electfeed/core"
import { DateTime, Effect, Option, Schema, SchemaGetter, SchemaIssue } from "effect"
import { quote } from "./internal/quote.ts"

const fromText = <To extends Schema.Top>(to: To, expected: string, read: (text: string) => To["Encoded"] | undefined) =>
  Schema.String.pipe(
    Schema.decodeTo(to, {
      decode: SchemaGetter.transformEffect((text: string, options) => {
        const value = read(text)
        return value === undefined
          ? Effect.fail(
              new SchemaIssue.InvalidValue({ message: `expected ${expected}, got ${quote(text)}` }, text, options)
            )
          : Effect.succeed(value)
      }),
      encode: SchemaGetter.forbidden(() => "the connector reads the SOS's text formats and never writes them")
    })
  )

const count = String.raw`\d{1,3}(?:,\d{3})+|\d+`

const toCount = (text: string) => Number(text.replaceAll(",", ""))

/**
 * `"6,455,637"` or `"7158901"` to 6455637 or 7158901.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoteCount = fromText(Schema.Int, 'a vote count like "1,234" or "1234"', (text) =>
  new RegExp(`^(?:${count})$`).test(text) ? toCount(text) : undefined
)

/**
 * `"52.5"` to 52.5.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Percent = fromText(Schema.Finite, 'a percent like "52.5"', (text) =>
  /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : undefined
)

const reportingPattern = new RegExp(String.raw`^(\d+(?:\.\d+)?)% \((${count}) of (${count})\) precincts reporting$`)

/**
 * `"96.3% (547 of 568) precincts reporting"` to `{ precinctsReporting: 547, precinctsTotal: 568,
 * percent: 96.3 }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reporting = fromText(
  Feed.Reporting,
  'reporting like "47% (11,408 of 19,788) precincts reporting"',
  (text) => {
    const match = reportingPattern.exec(text)
    return match === null
      ? undefined
      : { precinctsReporting: toCount(match[2]!), precinctsTotal: toCount(match[3]!), percent: Number(match[1]) }
  }
)

const months = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
]

const timePattern = new RegExp(String.raw`^(${months.join("|")}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}) ([ap])\.m\.$`)

const pacific = DateTime.zoneMakeNamedUnsafe("America/Los_Angeles")

/**
 * Reads a `ReportingTime` as ISO-8601 with the Pacific offset in force at that moment, or `undefined`
 * when the text is not one. In the hour that repeats when daylight saving time ends, the earlier
 * (daylight) instant is taken.
 *
 * @since 0.1.0
 * @category parsing
 */
export const pacificIso = (text: string): string | undefined => {
  const match = timePattern.exec(text)
  if (match === null) return undefined
  const month = months.indexOf(match[1]!) + 1
  const [day, year, hour12, minute] = [match[2], match[3], match[4], match[5]].map(Number) as [
    number,
    number,
    number,
    number
  ]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth || hour12 < 1 || hour12 > 12 || minute > 59) return undefined
  const hour = (hour12 % 12) + (match[6] === "p" ? 12 : 0)
  return Option.getOrUndefined(
    Option.map(
      DateTime.makeZoned({ year, month, day, hour, minute }, { timeZone: pacific, adjustForTimeZone: true }),
      (zoned) => DateTime.formatIsoOffset(zoned).replace(/\.000(?=[+-])/, "")
    )
  )
}

/**
 * `"November 5, 2024, 11:55 p.m."` to `"2024-11-05T23:55:00-08:00"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportingTime = fromText(Schema.String, 'a time like "November 5, 2024, 11:55 p.m."', pacificIso)

/**
 * `"true"` or `"false"`, as a CSV cell writes a boolean.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BooleanText = fromText(Schema.Boolean, '"true" or "false"', (text) =>
  text === "true" ? true : text === "false" ? false : undefined
)
