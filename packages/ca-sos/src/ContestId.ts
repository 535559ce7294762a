/**
 * The SOS's 14-digit contest ids, and the tables their digits refer to.
 *
 * An id is `RR EE PP DD VV SS CC`: race type, election type, party (of a presidential primary),
 * district, division, seat (a measure's number), and county: 01 to 58 for the counties in
 * alphabetical order, 59 for the whole state or district. `02000000000059` is the governor's race
 * statewide, `02000000000017` the same race in Lake County, `11000001000059` U.S. House district 1,
 * `19000000005059` Proposition 50. The batch query endpoint takes these ids.
 *
 * @since 0.1.0
 */
import { Party as CoreParty } from "@electfeed/core"
import { Result } from "effect"

/**
 * A county, or a party of a presidential primary: its code in contest ids (counties from 1 to 58 in
 * alphabetical order, parties from 1), its name as the SOS writes it (`Contra Costa`, `American
 * Independent`), and its slug in endpoint paths (`contra-costa`, `american-independent`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Coded {
  readonly code: number
  readonly name: string
  readonly slug: string
}

/**
 * @since 0.1.0
 * @category models
 */
export type County = Coded

// Each name with its place, from 1, as its code.
const numbered = (names: ReadonlyArray<string>): ReadonlyArray<Coded> =>
  names.map((name, index) => ({ code: index + 1, name, slug: name.toLowerCase().replaceAll(" ", "-") }))

/**
 * The 58 counties, in code order.
 *
 * @since 0.1.0
 * @category counties
 */
export const counties = numbered(
  (
    "Alameda,Alpine,Amador,Butte,Calaveras,Colusa,Contra Costa,Del Norte,El Dorado,Fresno,Glenn,Humboldt," +
    "Imperial,Inyo,Kern,Kings,Lake,Lassen,Los Angeles,Madera,Marin,Mariposa,Mendocino,Merced,Modoc,Mono," +
    "Monterey,Napa,Nevada,Orange,Placer,Plumas,Riverside,Sacramento,San Benito,San Bernardino,San Diego," +
    "San Francisco,San Joaquin,San Luis Obispo,San Mateo,Santa Barbara,Santa Clara,Santa Cruz,Shasta,Sierra," +
    "Siskiyou,Solano,Sonoma,Stanislaus,Sutter,Tehama,Trinity,Tulare,Tuolumne,Ventura,Yolo,Yuba"
  ).split(",")
)

/**
 * The county code of a result for the whole state, or the whole district of a district contest.
 *
 * @since 0.1.0
 * @category counties
 */
export const wholeArea = 59

/**
 * The county with this slug (`los-angeles`), if there is one.
 *
 * @since 0.1.0
 * @category counties
 */
export const countyBySlug = (slug: string): County | undefined => counties.find((county) => county.slug === slug)

/**
 * The county with this slug, or why there is none.
 *
 * @since 0.1.0
 * @category counties
 */
export const parseCounty = (slug: string): Result.Result<County, string> =>
  Result.fromNullishOr(
    countyBySlug(slug),
    () => `${JSON.stringify(slug)} is no county of California; counties are slugs like lake or los-angeles`
  )

/**
 * The county with this code (1 to 58), if there is one.
 *
 * @since 0.1.0
 * @category counties
 */
export const countyByCode = (code: number): County | undefined => counties[code - 1]

/**
 * The race types of the first two digits, by the slug of their endpoints: `/returns/governor`,
 * `/returns/us-rep/district/1`, `/returns/ballot-measures`. A list key of `Wire` (`ballot-measures`,
 * `supreme-court`, `courts-of-appeal`) is also the list its contests carry; the others carry candidates.
 *
 * @since 0.1.0
 * @category race types
 */
export const RaceType = {
  president: 1,
  governor: 2,
  "lieutenant-governor": 3,
  "secretary-of-state": 4,
  controller: 5,
  treasurer: 6,
  "attorney-general": 7,
  "insurance-commissioner": 8,
  "board-of-equalization": 9,
  "us-senate": 10,
  "us-rep": 11,
  "state-senate": 12,
  "state-assembly": 13,
  "supreme-court": 14,
  "courts-of-appeal": 15,
  "superintendent-of-public-instruction": 16,
  "ballot-measures": 19
} as const

/**
 * @since 0.1.0
 * @category race types
 */
export type RaceType = (typeof RaceType)[keyof typeof RaceType]

const raceTypes: ReadonlySet<number> = new Set(Object.values(RaceType))

/**
 * @since 0.1.0
 * @category models
 */
export type Party = Coded

/**
 * The parties with presidential primaries, named as in core's party table (`Party.table`). Only
 * American Independent's code (03) appears in an SOS document; the other codes are our assumption,
 * unconfirmed by the SOS.
 *
 * @since 0.1.0
 * @category parties
 */
export const parties = numbered(
  ["DEM", "REP", "AIP", "GRN", "LIB", "PF"].map((code) => CoreParty.table.find((party) => party.code === code)!.name)
)

/**
 * The party with this code, if there is one.
 *
 * @since 0.1.0
 * @category parties
 */
export const partyByCode = (code: number): Party | undefined => parties.find((party) => party.code === code)

// The parts of an id, a digit pair each, in order.
const parts = ["raceType", "electionType", "party", "district", "division", "seat", "county"] as const

/**
 * A contest id, digit pair by digit pair: `party` is the party of a presidential primary, `district` the
 * district of a district contest and `seat` a ballot measure's number, each 0 where there is none;
 * `county` is 1 to 58 for a county's result, {@link wholeArea} for the whole state or district.
 *
 * @since 0.1.0
 * @category models
 */
export type ContestId = { readonly [Part in (typeof parts)[number]]: number } & { readonly raceType: RaceType }

// An id's parts that most contests leave at 0, and the whole area.
const unset = { electionType: 0, party: 0, district: 0, division: 0, seat: 0, county: wholeArea }

/**
 * A contest id with every part not given set to 0, and the county to {@link wholeArea}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (given: Partial<ContestId> & { readonly raceType: RaceType }): ContestId => ({ ...unset, ...given })

const pair = (n: number) => String(n).padStart(2, "0")

/**
 * The 14 digits of an id.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (id: ContestId): string => parts.map((part) => pair(id[part])).join("")

/**
 * Reads 14 digits into an id. A failure says what is wrong, naming the id.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Result.Result<ContestId, string> => {
  if (!/^\d{14}$/.test(text)) return Result.fail(`contest id ${JSON.stringify(text)} is not 14 digits`)
  // Its race type is checked next.
  const id = Object.fromEntries(parts.map((part, i) => [part, Number(text.slice(2 * i, 2 * i + 2))])) as ContestId
  if (!raceTypes.has(id.raceType)) {
    return Result.fail(
      `contest id ${text} has race type ${pair(id.raceType)}, which is none of ${[...raceTypes].map(pair).join(", ")}`
    )
  }
  if (id.county < 1 || id.county > wholeArea) {
    return Result.fail(
      `contest id ${text} has county ${pair(id.county)}; counties are 01 to 58, and 59 for the whole state or district`
    )
  }
  return Result.succeed(id)
}
