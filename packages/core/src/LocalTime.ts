/**
 * Local times as sources write them, to ISO-8601 instants with the right offset.
 *
 * A source writes a wall-clock time and either leaves its zone implied (the SOS's Pacific time) or adds
 * a US zone abbreviation (`11:55 PM PST`). {@link isoInZone} reads the first with the offset a named zone
 * has at that moment, and {@link isoWithAbbreviation} the second with the abbreviation's own offset:
 *
 * | abbreviation | offset | abbreviation | offset |
 * | ------------ | ------ | ------------ | ------ |
 * | `EST`        | -05:00 | `EDT`        | -04:00 |
 * | `CST`        | -06:00 | `CDT`        | -05:00 |
 * | `MST`        | -07:00 | `MDT`        | -06:00 |
 * | `PST`        | -08:00 | `PDT`        | -07:00 |
 * | `AKST`       | -09:00 | `AKDT`       | -08:00 |
 * | `HST`        | -10:00 |              |        |
 *
 * Around daylight saving time: in the hour that repeats in November, a named zone alone takes the earlier
 * (daylight) instant unless told otherwise, while an abbreviation says which one is meant; a time in the
 * hour skipped in March is moved past the gap unless told to reject it. An abbreviation that disagrees with
 * the zone it is checked against (`PST` in July in `America/Los_Angeles`) is rejected: Arizona writes
 * `MST` all summer, so only the caller knows which zone to hold an abbreviation to.
 *
 * Results are `2024-11-05T23:55:00-08:00`: seconds always, milliseconds never.
 *
 * @since 0.2.0
 */
import { DateTime, Option, Result } from "effect"

/**
 * A wall-clock date and time, without a zone. `month` is 1–12, `hour` 0–23.
 *
 * @since 0.2.0
 * @category models
 */
export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second?: number | undefined
}

/**
 * The US zone abbreviations, with their offsets from UTC in hours.
 *
 * @since 0.2.0
 * @category abbreviations
 */
export const usAbbreviations = {
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
  AKST: -9,
  AKDT: -8,
  HST: -10
} as const satisfies Record<string, number>

/**
 * @since 0.2.0
 * @category abbreviations
 */
export type UsAbbreviation = keyof typeof usAbbreviations

/**
 * Whether `text` is one of {@link usAbbreviations} (upper case, as sources write them).
 *
 * @since 0.2.0
 * @category abbreviations
 */
export const isUsAbbreviation = (text: string): text is UsAbbreviation => Object.hasOwn(usAbbreviations, text)

/**
 * The 24-hour hour of a 12-hour clock's `hour12` (1–12): `12 a.m.` is 0, `12 p.m.` is 12; `undefined` for
 * an hour a 12-hour clock does not show.
 *
 * @since 0.2.0
 * @category parsing
 */
export const hour24 = (hour12: number, meridiem: "am" | "pm"): number | undefined =>
  Number.isInteger(hour12) && hour12 >= 1 && hour12 <= 12 ? (hour12 % 12) + (meridiem === "pm" ? 12 : 0) : undefined

const invalidField = (local: LocalDateTime): string | undefined => {
  const second = local.second ?? 0
  const fields = [local.year, local.month, local.day, local.hour, local.minute, second]
  if (!fields.every(Number.isInteger)) return "a date and time of whole numbers"
  if (local.year < 1000 || local.year > 9999) return "a year from 1000 to 9999"
  if (local.month < 1 || local.month > 12) return "a month from 1 to 12"
  const daysInMonth = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate()
  if (local.day < 1 || local.day > daysInMonth) return `a day from 1 to ${daysInMonth}`
  if (local.hour < 0 || local.hour > 23) return "an hour from 0 to 23"
  if (local.minute < 0 || local.minute > 59) return "a minute from 0 to 59"
  if (second < 0 || second > 59) return "a second from 0 to 59"
  return undefined
}

const isoOf = (zoned: DateTime.Zoned): string => DateTime.formatIsoOffset(zoned).replace(/\.\d+(?=[+-]|Z$)/, "")

const fieldsOf = (local: LocalDateTime) => ({ ...local, second: local.second ?? 0 })

const pad = (n: number) => String(n).padStart(2, "0")

const localText = (local: LocalDateTime) =>
  `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`

/**
 * What to do with a wall-clock time that a named zone shows twice (the hour that repeats when daylight
 * saving time ends) or never (the hour skipped when it starts). `"compatible"` (the default) takes the
 * earlier of two and moves a skipped time past the gap; `"reject"` fails on both.
 *
 * @since 0.2.0
 * @category models
 */
export type Disambiguation = DateTime.Disambiguation

/**
 * `local` in the named zone `zone` (`America/Los_Angeles`) as ISO-8601 with the offset in force then.
 * The failure says what is wrong: a field out of range, an unknown zone, or a time the zone does not
 * show once when `disambiguation` is `"reject"`.
 *
 * @since 0.2.0
 * @category instants
 */
export const isoInZone = (
  local: LocalDateTime,
  zone: string,
  options?: { readonly disambiguation?: Disambiguation | undefined }
): Result.Result<string, string> => {
  const invalid = invalidField(local)
  if (invalid !== undefined) return Result.fail(`expected ${invalid} in ${localText(local)}`)
  const timeZone = DateTime.zoneMakeNamed(zone)
  if (Option.isNone(timeZone)) return Result.fail(`unknown time zone ${JSON.stringify(zone)}`)
  const disambiguation = options?.disambiguation ?? "compatible"
  const zoned = Result.try(() =>
    DateTime.makeZoned(fieldsOf(local), { timeZone: timeZone.value, adjustForTimeZone: true, disambiguation })
  )
  return Result.isSuccess(zoned) && Option.isSome(zoned.success)
    ? Result.succeed(isoOf(zoned.success.value))
    : Result.fail(`${localText(local)} is not one moment in ${zone}`)
}

/**
 * `local` written with the US zone abbreviation `abbreviation` (`PST`) as ISO-8601 with that
 * abbreviation's offset. With `zone`, the abbreviation must also be what that named zone uses at that
 * moment: `PST` in July fails against `America/Los_Angeles`, and `1:30 a.m. PST` on the night daylight
 * saving time ends is the second 1:30, not the first.
 *
 * @since 0.2.0
 * @category instants
 */
export const isoWithAbbreviation = (
  local: LocalDateTime,
  abbreviation: string,
  options?: { readonly zone?: string | undefined }
): Result.Result<string, string> => {
  const invalid = invalidField(local)
  if (invalid !== undefined) return Result.fail(`expected ${invalid} in ${localText(local)}`)
  if (!isUsAbbreviation(abbreviation)) {
    return Result.fail(
      `expected a US zone abbreviation (${Object.keys(usAbbreviations).join(", ")}), got ${JSON.stringify(abbreviation)}`
    )
  }
  const offsetHours = usAbbreviations[abbreviation]
  const fields = fieldsOf(local)
  const epochMillis =
    Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) -
    offsetHours * 3_600_000
  const instant = DateTime.makeUnsafe(epochMillis)
  if (options?.zone !== undefined) {
    const named = DateTime.zoneMakeNamed(options.zone)
    if (Option.isNone(named)) return Result.fail(`unknown time zone ${JSON.stringify(options.zone)}`)
    const zoneOffset = DateTime.zonedOffset(DateTime.setZone(instant, named.value))
    if (zoneOffset !== offsetHours * 3_600_000) {
      return Result.fail(`${localText(local)} ${abbreviation} is not a time ${options.zone} shows as ${abbreviation}`)
    }
  }
  return Result.succeed(isoOf(DateTime.setZone(instant, DateTime.zoneMakeOffset(offsetHours * 3_600_000))))
}
