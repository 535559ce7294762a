/**
 * Decoded contests to the feed model's `ContestResult`, one per office contest, measure or justice.
 *
 * Where a contest sits (its id, county, district and party) is not in the body: it comes from the
 * request. An endpoint names the office, district, party and county; `/district/all` names each
 * district in its titles; a county breakdown lists the county's result first and the wider one last; the
 * batch query answers in the order of its ids.
 *
 * @since 0.1.0
 */
import { type Feed, Numbers, Party, type Source } from "@electfeed/core"
import { Result } from "effect"
import * as ContestId from "./ContestId.ts"
import type * as Endpoints from "./Endpoints.ts"
import type * as Wire from "./Wire.ts"

/**
 * Where a contest sits: its id, which names its district and a primary's party, and its county.
 *
 * @since 0.1.0
 * @category models
 */
export interface Place {
  /** The parts of the contest's event key, and the stem of its measures' and justices' keys. */
  readonly key: ReadonlyArray<string>
  /** `undefined` only for the unexpired U.S. Senate term, whose key says what it is instead. */
  readonly contestId: ContestId.ContestId | undefined
  readonly county: ContestId.County | undefined
}

/**
 * What a body answered: an endpoint, or a batch query for these ids.
 *
 * @since 0.1.0
 * @category models
 */
export type Origin =
  | { readonly _tag: "Endpoint"; readonly endpoint: Endpoints.Endpoint }
  | { readonly _tag: "Query"; readonly ids: ReadonlyArray<ContestId.ContestId> }

/**
 * A contest result with the parts of its event key (core encodes each and joins them with `/`).
 *
 * @since 0.1.0
 * @category models
 */
export type Keyed = Source.Entity<"ContestResult"> & { readonly key: ReadonlyArray<string> }

const placeOfId = (contestId: ContestId.ContestId): Place => ({
  key: [ContestId.format(contestId)],
  contestId,
  county: ContestId.countyByCode(contestId.county)
})

const districtPattern = /\bDistrict (\d+)\b/

const wholeArea = / - (?:Statewide|Districtwide) Results$/

/**
 * Where each contest of a body sits. A failure says why the body does not fit its request.
 *
 * @since 0.1.0
 * @category places
 */
export const places = (
  origin: Origin,
  contests: ReadonlyArray<Wire.Contest>
): Result.Result<ReadonlyArray<Place>, string> => {
  const misfit = (expected: string) => Result.fail(`expected ${expected}, found ${contests.length}`)
  if (origin._tag === "Query") {
    const { ids } = origin
    return ids.length === contests.length
      ? Result.succeed(ids.map(placeOfId))
      : misfit(`${ids.length} contests, one per id`)
  }
  const { base, id, allDistricts, county } = origin.endpoint
  // A county breakdown holds the county's contest and the wider one, or the wider one alone.
  if (!allDistricts && (contests.length === 0 || contests.length > (county === undefined ? 1 : 2))) {
    return misfit(county === undefined ? "one contest" : "the county's contest and the wider one")
  }
  const placeAt = (contest: Wire.Contest, i: number): Result.Result<Place, string> => {
    // A county breakdown lists the county's result, then the wider one. One result alone is the wider one
    // (a county outside the district) unless its title says otherwise.
    const inCounty = contests.length === 2 ? i === 0 : !wholeArea.test(contest.raceTitle)
    const area = inCounty ? (county?.code ?? ContestId.wholeArea) : ContestId.wholeArea
    if (id === undefined) {
      const key = [base.slice("/returns/".length), String(area).padStart(2, "0")]
      return Result.succeed({ key, contestId: undefined, county: ContestId.countyByCode(area) })
    }
    const district = allDistricts ? districtPattern.exec(contest.raceTitle)?.[1] : id.district
    if (district === undefined)
      return Result.fail(`no district number in the title ${Numbers.quote(contest.raceTitle)}`)
    return Result.succeed(placeOfId({ ...id, district: Number(district), county: area }))
  }
  return Result.all(contests.map(placeAt))
}

// Without a trailing `<whitespace>District <n>`. The pattern starts at the one whitespace character before
// `District`: `\s+District \d+$` would take time that grows with the square of a run of whitespace, and a
// title is upstream's text.
const withoutDistrict = (office: string): string => {
  const match = /\sDistrict \d+$/.exec(office)
  return match === null ? office : office.slice(0, match.index).trimEnd()
}

const officeOf = (title: string, party: ContestId.Party | undefined): string => {
  const cut = title.lastIndexOf(" - ")
  const office = withoutDistrict(cut === -1 ? title : title.slice(0, cut))
  return party !== undefined && office.endsWith(` ${party.name}`) ? office.slice(0, -party.name.length - 1) : office
}

const yesNo = (item: typeof Wire.Justice.Type): Array<Feed.Selection> => [
  { name: "Yes", party: null, partyCode: null, votes: item.yesVotes, percent: item.yesPercent, incumbent: null },
  { name: "No", party: null, partyCode: null, votes: item.noVotes, percent: item.noPercent, incumbent: null }
]

// What a measure's or a justice's result has of its own.
type YesNoData = Pick<Feed.ContestResult, "office" | "contestKind"> &
  Partial<Pick<Feed.ContestResult, "contestId" | "measure">>

const withoutPadding = (number: string) => number.replace(/^0+(?=.)/, "")

/**
 * The results of one contest: one for an office, one per measure, one per justice. `Non` (a
 * nonpartisan office) and an empty party become a null party. A candidate's `partyCode` is the SOS's
 * code through core's party table: `Dem` is `DEM`, `Non` is `NON`, an empty or unknown code is null.
 *
 * @since 0.1.0
 * @category mapping
 */
export const results = (contest: Wire.Contest, place: Place): ReadonlyArray<Keyed> => {
  const id = place.contestId
  const party = id?.raceType === ContestId.RaceType.president ? ContestId.partyByCode(id.party) : undefined
  const district = id?.district ? String(id.district) : null
  const common = {
    jurisdiction: { state: "CA", county: place.county?.name ?? null, district },
    party: party?.name ?? null,
    reporting: contest.Reporting,
    updatedAt: contest.ReportingTime,
    contestId: id === undefined ? null : ContestId.format(id)
  }
  if (contest.candidates !== undefined) {
    const office = officeOf(contest.raceTitle, party)
    const selections = contest.candidates.map((c) => ({
      name: c.Name,
      party: c.Party === "Non" || c.Party === "" ? null : c.Party,
      partyCode: Party.code(c.Party),
      votes: c.Votes,
      percent: c.Percent,
      incumbent: c.incumbent
    }))
    return [
      { key: place.key, data: { ...common, title: contest.raceTitle, office, contestKind: "candidate", selections } }
    ]
  }
  // Each measure and each justice is a result of its own, titled with its name, its selections yes and no.
  const yesNoResult = (item: typeof Wire.Justice.Type, key: ReadonlyArray<string>, data: YesNoData): Keyed => ({
    key,
    data: { ...common, title: item.Name, selections: yesNo(item), ...data }
  })
  const measures = (contest["ballot-measures"] ?? []).map((item) => {
    const number = withoutPadding(item.Number)
    // A measure's own id carries its number as the seat, which has room for two digits.
    const own =
      id !== undefined && /^\d{1,2}$/.test(number) ? ContestId.format({ ...id, seat: Number(number) }) : undefined
    const key = own === undefined ? [...place.key, "measure", number] : [own]
    const measure = { number, title: item.Name }
    return yesNoResult(item, key, { contestId: own ?? common.contestId, office: null, contestKind: "measure", measure })
  })
  const office = officeOf(contest.raceTitle, undefined)
  const justices = (contest["supreme-court"] ?? contest["courts-of-appeal"] ?? []).map((justice) =>
    yesNoResult(justice, [...place.key, "justice", justice.Name], { office, contestKind: "retention" })
  )
  return [...measures, ...justices]
}
