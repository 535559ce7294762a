/**
 * Clarity's words as the feed's: candidate texts with their markers, timestamps with a zone
 * abbreviation, contest titles, and a contest in one reporting unit as a `ContestResult`.
 *
 * @since 0.1.0
 */
import { type Feed, LocalTime, Party } from "@electfeed/core"
import { Result } from "effect"

/**
 * A choice's text as a selection's name, party and incumbency. `Donald J. Trump (I) (Rep)` is
 * `Donald J. Trump`, `Rep`, incumbent. The `party` attribute is used when it is a real party (sites write
 * `NP` where they give none there); otherwise the text's marker. Incumbency is known only where marked.
 *
 * @since 0.1.0
 * @category choices
 */
export const choice = (
  text: string,
  partyAttribute: string | undefined
): { readonly name: string; readonly party: string | null; readonly incumbent: boolean | null } => {
  let name = text.trim()
  let marked: string | null = null
  let incumbent: boolean | null = null
  for (let match = /\s*\(([A-Za-z][A-Za-z .&-]{0,30})\)$/.exec(name); match !== null; ) {
    if (match[1] === "I" && incumbent === null) incumbent = true
    else if (marked === null && match[1] !== "I") marked = match[1]!
    else break
    name = name.slice(0, match.index)
    match = /\s*\(([A-Za-z][A-Za-z .&-]{0,30})\)$/.exec(name)
  }
  const attribute = partyAttribute?.trim()
  const party = attribute !== undefined && attribute !== "" && attribute.toUpperCase() !== "NP" ? attribute : marked
  return { name: name === "" ? text.trim() : name, party, incumbent }
}

/**
 * `<Timestamp>` (`11/30/2020 8:18:00 AM EST`) as ISO-8601 with the offset of its abbreviation; without
 * one, in `timeZone` (the config's); with neither, null.
 *
 * @since 0.1.0
 * @category timestamps
 */
export const timestamp = (text: string, timeZone: string | undefined): Result.Result<string | null, string> => {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)(?: ([A-Z]{3,4}))?$/i.exec(
    text.trim()
  )
  if (match === null) return Result.fail(`expected a time like 11/30/2020 8:18:00 AM EST, got ${JSON.stringify(text)}`)
  const [, month, day, year, hour12, minute, second, meridiem, zone] = match
  const hour = LocalTime.hour24(Number(hour12), meridiem!.toLowerCase() as "am" | "pm")
  if (hour === undefined) return Result.fail(`expected an hour from 1 to 12 in ${JSON.stringify(text)}`)
  const local = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour,
    minute: Number(minute),
    second: Number(second ?? 0)
  }
  if (zone !== undefined) return LocalTime.isoWithAbbreviation(local, zone.toUpperCase())
  return timeZone === undefined ? Result.succeed(null) : LocalTime.isoInZone(local, timeZone)
}

const yes = /^(yes|for)$/i
const no = /^(no|against)$/i

/**
 * What a contest is, from its title and its choices: a question (`isQuestion`, or exactly a Yes and a No
 * choice, as Georgia writes its amendments) is a measure, or a retention when its title says so; the
 * office is the title without a trailing `District N`, which becomes the district.
 *
 * @since 0.1.0
 * @category contests
 */
export const contestShape = (
  key: string,
  title: string,
  isQuestion: boolean,
  choices: ReadonlyArray<string>
): {
  readonly contestKind: Feed.ContestResult["contestKind"]
  readonly office: string
  readonly district: string | null
  readonly measure?: { readonly number: string; readonly title: string }
} => {
  const question =
    isQuestion || (choices.length === 2 && choices.some((c) => yes.test(c)) && choices.some((c) => no.test(c)))
  const district = /^(.*\S)\s+(?:-\s+)?District\s+0*([\w-]+)$/i.exec(title)
  const office = district === null ? title : district[1]!
  if (!question) return { contestKind: "candidate", office, district: district?.[2] ?? null }
  const number =
    /#\s*0*(\w+)/.exec(title)?.[1] ??
    /(?:Amendment|Question|Referendum|Measure|Issue|Proposition)\s+0*([\w-]+)$/i.exec(title)?.[1] ??
    key
  return {
    contestKind: /\bretain|\bretention/i.test(title) ? "retention" : "measure",
    office,
    district: district?.[2] ?? null,
    measure: { number, title }
  }
}

/**
 * The order and names of a measure's selections: `Yes` then `No`, whatever the site writes (`YES`,
 * `For`); `undefined` for a choice that is neither.
 *
 * @since 0.1.0
 * @category contests
 */
export const answer = (text: string): "Yes" | "No" | undefined =>
  yes.test(text.trim()) ? "Yes" : no.test(text.trim()) ? "No" : undefined

/**
 * A share of a whole, in percent with one decimal; 0 of nothing is 0.
 *
 * @since 0.1.0
 * @category numbers
 */
export const percentOf = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10

/**
 * A contest as the file declares it: its key, title, whether it is a question, and its choices' texts
 * and `party` attributes, in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface Contest {
  readonly key: string
  readonly title: string
  readonly isQuestion: boolean
  readonly choices: ReadonlyArray<{ readonly text: string; readonly party: string | undefined }>
}

/**
 * A contest in one reporting unit: where, how far counted, and each choice's votes in the contest's
 * order (with votes by vote type, in the file's order, when asked for).
 *
 * @since 0.1.0
 * @category models
 */
export interface Unit {
  readonly state: string
  readonly county: string | null
  readonly precinct?: string | undefined
  readonly reporting: Feed.ContestResult["reporting"]
  readonly updatedAt: string | null
  readonly votes: ReadonlyArray<number>
  readonly voteTypes?: ReadonlyArray<Readonly<Record<string, number>>> | undefined
}

const rank = (name: string) => (name === "Yes" ? 0 : name === "No" ? 1 : 2)

/**
 * The `ContestResult`s of a contest, one reporting unit at a time: names without markers, party codes from
 * core's table, a measure's `Yes` then `No`. What is the same in every unit is worked out once.
 *
 * @since 0.1.0
 * @category mapping
 */
export const contestResults = (contest: Contest): ((unit: Unit) => Feed.ContestResult) => {
  const shape = contestShape(
    contest.key,
    contest.title,
    contest.isQuestion,
    contest.choices.map((c) => c.text)
  )
  const people = contest.choices.map((c) =>
    shape.contestKind === "candidate"
      ? choice(c.text, c.party)
      : { name: answer(c.text) ?? c.text.trim(), party: null, incumbent: null }
  )
  const codes = people.map((person) => Party.code(person.party))
  const order = people.map((_, i) => i)
  if (shape.measure !== undefined) order.sort((a, b) => rank(people[a]!.name) - rank(people[b]!.name))
  return (unit) => {
    let total = 0
    for (const votes of unit.votes) total += votes
    return {
      contestId: contest.key,
      title: contest.title,
      office: shape.office,
      contestKind: shape.contestKind,
      jurisdiction: {
        state: unit.state,
        county: unit.county,
        district: shape.district,
        ...(unit.precinct === undefined ? {} : { precinct: unit.precinct })
      },
      party: null,
      reporting: unit.reporting,
      updatedAt: unit.updatedAt,
      selections: order.map((i): Feed.Selection => {
        const votes = unit.votes[i] ?? 0
        const types = unit.voteTypes?.[i]
        return {
          name: people[i]!.name,
          party: people[i]!.party,
          partyCode: codes[i]!,
          votes,
          percent: percentOf(votes, total),
          incumbent: people[i]!.incumbent,
          ...(types === undefined ? {} : { voteTypes: types })
        }
      }),
      ...(shape.measure === undefined ? {} : { measure: shape.measure })
    }
  }
}
