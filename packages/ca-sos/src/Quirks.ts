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

import { Feed, LocalTime, Numbers } from "@electfeed/core"
import { Result, Schema } from "effect"

/**
 * `"6,455,637"` or `"7158901"` to 6455637 or 7158901.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VoteCount = Numbers.IntFromCount

/**
 * `"52.5"` to 52.5 (the SOS writes no `%` here).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Percent = Numbers.percentFromString("absent")

const reportingPattern = /^([\d.]+)% \(([\d,]+) of ([\d,]+)\) precincts reporting$/

/**
 * `"96.3% (547 of 568) precincts reporting"` to `{ precinctsReporting: 547, precinctsTotal: 568,
 * percent: 96.3 }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reporting = Numbers.fromText(
  Feed.Reporting,
  'reporting like "47% (11,408 of 19,788) precincts reporting"',
  (text) => {
    // Without a match, each part is empty text, which no parser takes.
    const [, percentText = "", reporting = "", total = ""] = reportingPattern.exec(text) ?? []
    const percent = Numbers.parsePercent(percentText, "absent")
    const precinctsReporting = Numbers.parseCount(reporting)
    const precinctsTotal = Numbers.parseCount(total)
    return percent === undefined || precinctsReporting === undefined || precinctsTotal === undefined
      ? undefined
      : { precinctsReporting, precinctsTotal, percent }
  }
)

const months = "January February March April May June July August September October November December".split(" ")

const timePattern = new RegExp(String.raw`^(${months.join("|")}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}) ([ap])\.m\.$`)

// A `ReportingTime` as ISO-8601 with the Pacific offset in force at that moment, or `undefined` when the text
// is not one. In the hour that repeats when daylight saving time ends, the earlier (daylight) instant is taken.
const pacificIso = (text: string): string | undefined => {
  const [, month = "", day, year, hour12, minute, meridiem] = timePattern.exec(text) ?? []
  const hour = LocalTime.hour24(Number(hour12), meridiem === "p" ? "pm" : "am")
  if (minute === undefined || hour === undefined) return undefined
  const local = { year: Number(year), month: months.indexOf(month) + 1, day: Number(day), hour, minute: Number(minute) }
  return Result.getOrUndefined(LocalTime.isoInZone(local, "America/Los_Angeles"))
}

/**
 * `"November 5, 2024, 11:55 p.m."` to `"2024-11-05T23:55:00-08:00"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportingTime = Numbers.fromText(Schema.String, 'a time like "November 5, 2024, 11:55 p.m."', pacificIso)

/**
 * `"true"` or `"false"`, as a CSV cell writes a boolean.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BooleanText = Numbers.fromText(Schema.Boolean, '"true" or "false"', (text) =>
  text === "true" ? true : text === "false" ? false : undefined
)
