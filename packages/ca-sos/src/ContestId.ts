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
 * A county of California: its code in contest ids, its name, and its slug in endpoint paths.
 *
 * @since 0.1.0
 * @category models
 */
export interface County {
  /** 1 to 58, alphabetical. */
  readonly code: number
  /** `Contra Costa` */
  readonly name: string
  /** `contra-costa` */
  readonly slug: string
}

// Alphabetical, so that a county's code is its place here.
const countyNames = (
  "Alameda,Alpine,Amador,Butte,Calaveras,Colusa,Contra Costa,Del Norte,El Dorado,Fresno,Glenn,Humboldt," +
  "Imperial,Inyo,Kern,Kings,Lake,Lassen,Los Angeles,Madera,Marin,Mariposa,Mendocino,Merced,Modoc,Mono," +
  "Monterey,Napa,Nevada,Orange,Placer,Plumas,Riverside,Sacramento,San Benito,San Bernardino,San Diego," +
  "San Francisco,San Joaquin,San Luis Obispo,San Mateo,Santa Barbara,Santa Clara,Santa Cruz,Shasta,Sierra," +
  "Siskiyou,Solano,Sonoma,Stanislaus,Sutter,Tehama,Trinity,Tulare,Tuolumne,Ventura,Yolo,Yuba"
).split(",")

const slugOf = (name: string) => name.toLowerCase().replaceAll(" ", "-")

/**
 * The 58 counties, in code order.
 *
 * @since 0.1.0
 * @category counties
 */
export const counties: ReadonlyArray<County> = countyNames.map((name, index) => ({
  code: index + 1,
  name,
  slug: slugOf(name)
}))

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
 * The race types of the first two digits.
 *
 * @since 0.1.0
 * @category race types
 */
export const RaceType = {
  President: 1,
  Governor: 2,
  LieutenantGovernor: 3,
  SecretaryOfState: 4,
  Controller: 5,
  Treasurer: 6,
  AttorneyGeneral: 7,
  InsuranceCommissioner: 8,
  BoardOfEqualization: 9,
  USSenate: 10,
  USRepresentative: 11,
  StateSenate: 12,
  StateAssembly: 13,
  SupremeCourt: 14,
  CourtsOfAppeal: 15,
  SuperintendentOfPublicInstruction: 16,
  BallotMeasure: 19
} as const

/**
 * @since 0.1.0
 * @category race types
 */
export type RaceType = (typeof RaceType)[keyof typeof RaceType]

const raceTypes: ReadonlySet<number> = new Set(Object.values(RaceType))

/**
 * A party of a presidential primary: its code in contest ids, its name, and its slug in endpoint paths.
 *
 * @since 0.1.0
 * @category models
 */
export interface Party {
  readonly code: number
  /** As the SOS writes it in contest titles: `American Independent`. */
  readonly name: string
  /** `american-independent` */
  readonly slug: string
}

/**
 * The parties with presidential primaries, named as in core's party table (`Party.table`). Only
 * American Independent's code (03) appears in an SOS document; the other codes are our assumption,
 * unconfirmed by the SOS.
 *
 * @since 0.1.0
 * @category parties
 */
export const parties: ReadonlyArray<Party> = ["DEM", "REP", "AIP", "GRN", "LIB", "PF"].map((code, index) => {
  const name = CoreParty.table.find((party) => party.code === code)!.name
  return { code: index + 1, name, slug: slugOf(name) }
})

/**
 * The party with this code, if there is one.
 *
 * @since 0.1.0
 * @category parties
 */
export const partyByCode = (code: number): Party | undefined => parties.find((party) => party.code === code)

/**
 * A contest id, digit pair by digit pair.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContestId {
  readonly raceType: RaceType
  readonly electionType: number
  /** The party of a presidential primary, else 0. */
  readonly party: number
  /** The district of a district contest, else 0. */
  readonly district: number
  readonly division: number
  /** A ballot measure's number, else 0 for most contests. */
  readonly seat: number
  /** 1 to 58 for a county's result, {@link wholeArea} for the whole state or district. */
  readonly county: number
}

/**
 * A contest id with every part not given set to 0, and the county to {@link wholeArea}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (parts: Partial<ContestId> & { readonly raceType: RaceType }): ContestId => ({
  electionType: 0,
  party: 0,
  district: 0,
  division: 0,
  seat: 0,
  county: wholeArea,
  ...parts
})

const pair = (n: number) => String(n).padStart(2, "0")

/**
 * The 14 digits of an id.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (id: ContestId): string =>
  [id.raceType, id.electionType, id.party, id.district, id.division, id.seat, id.county].map(pair).join("")

/**
 * Reads 14 digits into an id. A failure says what is wrong, naming the id.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Result.Result<ContestId, string> => {
  if (!/^\d{14}$/.test(text)) {
    return Result.fail(`contest id ${JSON.stringify(text)} is not 14 digits`)
  }
  const [raceType, electionType, party, district, division, seat, county] = Array.from({ length: 7 }, (_, i) =>
    Number(text.slice(2 * i, 2 * i + 2))
  ) as [number, number, number, number, number, number, number]
  if (!raceTypes.has(raceType)) {
    return Result.fail(
      `contest id ${text} has race type ${pair(raceType)}, which is none of ${[...raceTypes].map(pair).join(", ")}`
    )
  }
  if (county < 1 || county > wholeArea) {
    return Result.fail(
      `contest id ${text} has county ${pair(county)}; counties are 01 to 58, and 59 for the whole state or district`
    )
  }
  return Result.succeed({ raceType: raceType as RaceType, electionType, party, district, division, seat, county })
}
