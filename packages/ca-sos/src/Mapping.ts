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
import { type Feed, Numbers, Party } from "@electfeed/core"
import { Result } from "effect"
import * as ContestId from "./ContestId.ts"
import * as Endpoints from "./Endpoints.ts"
import type * as Wire from "./Wire.ts"

/**
 * Where a contest sits.
 *
 * @since 0.1.0
 * @category models
 */
export interface Place {
  /** The parts of the contest's event key, and the stem of its measures' and justices' keys. */
  readonly key: ReadonlyArray<string>
  readonly contestId?: ContestId.ContestId | undefined
  readonly county: ContestId.County | undefined
  readonly district?: number | undefined
  /** The party of a presidential primary. */
  readonly party?: ContestId.Party | undefined
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
export interface Keyed {
  readonly key: ReadonlyArray<string>
  readonly data: Feed.ContestResult
}

const placeOfId = (id: ContestId.ContestId): Place => ({
  key: [ContestId.format(id)],
  contestId: id,
  county: ContestId.countyByCode(id.county),
  district: id.district === 0 ? undefined : id.district,
  party: id.raceType === ContestId.RaceType.President ? ContestId.partyByCode(id.party) : undefined
})

const districtPattern = /\bDistrict (\d+)\b/

const wholeArea = / - (?:Statewide|Districtwide) Results$/

const placeAt = (
  endpoint: Endpoints.Endpoint,
  contest: Wire.Contest,
  county: ContestId.County | undefined
): Result.Result<Place, string> => {
  let target = endpoint.target
  if (target._tag === "District" && target.district === "all") {
    const match = districtPattern.exec(contest.raceTitle)
    if (match === null) return Result.fail(`no district number in the title ${Numbers.quote(contest.raceTitle)}`)
    target = { ...target, district: Number(match[1]) }
  }
  const id = Endpoints.contestIdOf(target, county)
  if (id !== undefined) return Result.succeed(placeOfId(id))
  // Only the unexpired Senate term has no known id; its key says what it is instead.
  const area = String(county?.code ?? ContestId.wholeArea).padStart(2, "0")
  return Result.succeed({
    key: [Endpoints.path({ target, county: undefined }).slice("/returns/".length), area],
    county
  })
}

// What a body of this origin must hold, when `count` contests is not that.
const misfit = (origin: Origin, count: number): string | undefined => {
  if (origin._tag === "Query")
    return count === origin.ids.length ? undefined : `${origin.ids.length} contests, one per id`
  const { target, county } = origin.endpoint
  if (county !== undefined) return count === 1 || count === 2 ? undefined : "the county's contest and the wider one"
  if (target._tag === "District" && target.district === "all") return undefined
  return count === 1 ? undefined : "one contest"
}

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
  const expected = misfit(origin, contests.length)
  if (expected !== undefined) return Result.fail(`expected ${expected}, found ${contests.length}`)
  if (origin._tag === "Query") return Result.succeed(origin.ids.map(placeOfId))
  const { endpoint } = origin
  // A county breakdown lists the county's result, then the wider one. One result alone is the wider one
  // (a county outside the district) unless its title says otherwise.
  const countyAt = (i: number) =>
    (contests.length === 2 ? i === 0 : !wholeArea.test(contests[i]!.raceTitle)) ? endpoint.county : undefined
  return Result.all(contests.map((contest, i) => placeAt(endpoint, contest, countyAt(i))))
}

const districtSuffix = /District \d+$/

// Without a trailing `<whitespace>District <n>`. Two steps, as one pattern (`\s+District \d+$`) takes time
// that grows with the square of a run of whitespace, and a title is upstream's text.
const withoutDistrict = (office: string): string => {
  const match = districtSuffix.exec(office)
  if (match === null) return office
  const before = office.slice(0, match.index)
  const trimmed = before.trimEnd()
  return trimmed.length < before.length ? trimmed : office
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
  const common = {
    jurisdiction: {
      state: "CA",
      county: place.county?.name ?? null,
      district: place.district === undefined ? null : String(place.district)
    },
    party: place.party?.name ?? null,
    reporting: contest.Reporting,
    updatedAt: contest.ReportingTime,
    contestId: place.contestId === undefined ? null : ContestId.format(place.contestId)
  }
  if (contest.candidates !== undefined) {
    const data: Feed.ContestResult = {
      ...common,
      title: contest.raceTitle,
      office: officeOf(contest.raceTitle, place.party),
      contestKind: "candidate",
      selections: contest.candidates.map((c) => ({
        name: c.Name,
        party: c.Party === "Non" || c.Party === "" ? null : c.Party,
        partyCode: Party.code(c.Party),
        votes: c.Votes,
        percent: c.Percent,
        incumbent: c.incumbent
      }))
    }
    return [{ key: place.key, data }]
  }
  if (contest["ballot-measures"] !== undefined) {
    return contest["ballot-measures"].map((measure) => {
      const number = withoutPadding(measure.Number)
      // A measure's own id carries its number as the seat, which has room for two digits.
      const id =
        place.contestId !== undefined && /^\d{1,2}$/.test(number)
          ? ContestId.format({ ...place.contestId, seat: Number(number) })
          : undefined
      return {
        key: id === undefined ? [...place.key, "measure", number] : [id],
        data: {
          ...common,
          contestId: id ?? common.contestId,
          title: measure.Name,
          office: null,
          contestKind: "measure",
          selections: yesNo(measure),
          measure: { number, title: measure.Name }
        }
      }
    })
  }
  const justices = contest["supreme-court"] ?? contest["courts-of-appeal"] ?? []
  return justices.map((justice) => ({
    key: [...place.key, "justice", justice.Name],
    data: {
      ...common,
      title: justice.Name,
      office: officeOf(contest.raceTitle, undefined),
      contestKind: "retention",
      selections: yesNo(justice)
    }
  }))
}
