/**
 * The API's endpoints: what each path means, how to build it, and the batch query.
 *
 * - `/returns/<office>`: a statewide office (`governor`, `us-senate`, …), one contest.
 * - `/returns/president/party/<party>`: a presidential party primary, one contest.
 * - `/returns/ballot-measures` (every measure) and `/returns/ballot-measures/prop/<n>` (one).
 * - `/returns/supreme-court`: retention of each justice.
 * - `/returns/<district office>/district/<n>`: one district; `/district/all`: an array of every district.
 * - Any of those but `/district/all` with `/county/<slug>`: an array of the county's result and the wider
 *   one (only the wider one when the county is outside the district).
 * - `/returns/status`: each county's reporting status.
 * - `/returns/query?r=["id",…]`: up to {@link maxQueryIds} contests by id, in the order asked.
 *
 * @since 0.1.0
 */
import { Array as Arr, Result } from "effect"
import * as ContestId from "./ContestId.ts"
import type { ListKey } from "./Wire.ts"

/**
 * A statewide office: its slug and, where the SOS's id for it is known, its race type.
 *
 * @since 0.1.0
 * @category models
 */
export interface Office {
  readonly slug: string
  /** Absent where the SOS's contest id is unknown (the unexpired U.S. Senate term). */
  readonly raceType: ContestId.RaceType | undefined
}

/**
 * The statewide offices.
 *
 * @since 0.1.0
 * @category offices
 */
export const offices: ReadonlyArray<Office> = [
  { slug: "president", raceType: ContestId.RaceType.President },
  { slug: "us-senate", raceType: ContestId.RaceType.USSenate },
  { slug: "us-senate-unexpired-term", raceType: undefined },
  { slug: "governor", raceType: ContestId.RaceType.Governor },
  { slug: "lieutenant-governor", raceType: ContestId.RaceType.LieutenantGovernor },
  { slug: "secretary-of-state", raceType: ContestId.RaceType.SecretaryOfState },
  { slug: "controller", raceType: ContestId.RaceType.Controller },
  { slug: "treasurer", raceType: ContestId.RaceType.Treasurer },
  { slug: "attorney-general", raceType: ContestId.RaceType.AttorneyGeneral },
  { slug: "insurance-commissioner", raceType: ContestId.RaceType.InsuranceCommissioner },
  { slug: "superintendent-of-public-instruction", raceType: ContestId.RaceType.SuperintendentOfPublicInstruction }
]

/**
 * An office elected by district.
 *
 * @since 0.1.0
 * @category models
 */
export interface DistrictOffice {
  readonly slug: string
  readonly raceType: ContestId.RaceType
  /** `courts-of-appeal` for the appellate districts' justices, else `candidates`. */
  readonly list: ListKey
}

/**
 * The offices elected by district.
 *
 * @since 0.1.0
 * @category offices
 */
export const districtOffices: ReadonlyArray<DistrictOffice> = [
  { slug: "us-rep", raceType: ContestId.RaceType.USRepresentative, list: "candidates" },
  { slug: "state-senate", raceType: ContestId.RaceType.StateSenate, list: "candidates" },
  { slug: "state-assembly", raceType: ContestId.RaceType.StateAssembly, list: "candidates" },
  { slug: "board-of-equalization", raceType: ContestId.RaceType.BoardOfEqualization, list: "candidates" },
  { slug: "courts-of-appeal", raceType: ContestId.RaceType.CourtsOfAppeal, list: "courts-of-appeal" }
]

/**
 * What an endpoint returns.
 *
 * @since 0.1.0
 * @category models
 */
export type Target =
  | { readonly _tag: "Office"; readonly office: Office }
  | { readonly _tag: "PartyPrimary"; readonly party: ContestId.Party }
  | { readonly _tag: "BallotMeasures"; readonly prop: number | undefined }
  | { readonly _tag: "SupremeCourt" }
  | { readonly _tag: "District"; readonly office: DistrictOffice; readonly district: number | "all" }
  | { readonly _tag: "Status" }

/**
 * An endpoint: a target, for the whole area or one county.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  readonly target: Target
  readonly county: ContestId.County | undefined
}

// What each target is: its path, the list its contests carry, and the parts of its contest id (without the
// county) where that is known.
const factsOf = (
  target: Target
): { readonly path: string; readonly list?: ListKey; readonly id?: Parameters<typeof ContestId.make>[0] } => {
  const { President, BallotMeasure, SupremeCourt } = ContestId.RaceType
  switch (target._tag) {
    case "Office": {
      const { slug, raceType } = target.office
      return { path: `/returns/${slug}`, list: "candidates", ...(raceType === undefined ? {} : { id: { raceType } }) }
    }
    case "PartyPrimary": {
      const id = { raceType: President, party: target.party.code }
      return { path: `/returns/president/party/${target.party.slug}`, list: "candidates", id }
    }
    case "BallotMeasures": {
      const path = `/returns/ballot-measures${target.prop === undefined ? "" : `/prop/${target.prop}`}`
      return { path, list: "ballot-measures", id: { raceType: BallotMeasure, seat: target.prop ?? 0 } }
    }
    case "SupremeCourt":
      return { path: "/returns/supreme-court", list: "supreme-court", id: { raceType: SupremeCourt } }
    case "District": {
      const { slug, raceType, list } = target.office
      const { district } = target
      const path = `/returns/${slug}/district/${district}`
      return district === "all" ? { path, list } : { path, list, id: { raceType, district } }
    }
    case "Status":
      return { path: "/returns/status" }
  }
}

/**
 * The list a target's contests carry, or `undefined` for `/returns/status`.
 *
 * @since 0.1.0
 * @category targets
 */
export const listOf = (target: Target): ListKey | undefined => factsOf(target).list

/**
 * The contest id of a target's result, for the whole area or `county`; `undefined` where it is not
 * known. `/district/all` has no single id (each district has its own).
 *
 * @since 0.1.0
 * @category targets
 */
export const contestIdOf = (target: Target, county: ContestId.County | undefined): ContestId.ContestId | undefined => {
  const { id } = factsOf(target)
  return id === undefined ? undefined : ContestId.make({ ...id, county: county?.code ?? ContestId.wholeArea })
}

/**
 * The path of an endpoint, without the format parameter.
 *
 * @since 0.1.0
 * @category paths
 */
export const path = (endpoint: Endpoint): string =>
  factsOf(endpoint.target).path + (endpoint.county === undefined ? "" : `/county/${endpoint.county.slug}`)

// The targets that take no number: one contest each, or every measure.
const wholeTargets: ReadonlyArray<Target> = [
  ...offices.map((office): Target => ({ _tag: "Office", office })),
  ...ContestId.parties.map((party): Target => ({ _tag: "PartyPrimary", party })),
  { _tag: "BallotMeasures", prop: undefined },
  { _tag: "SupremeCourt" }
]

const parseTarget = (path: string): Target | undefined => {
  const whole = [...wholeTargets, { _tag: "Status" } as const].find((target) => factsOf(target).path === path)
  if (whole !== undefined) return whole
  const prop = /^\/returns\/ballot-measures\/prop\/([1-9]\d*)$/.exec(path)
  if (prop !== null) return { _tag: "BallotMeasures", prop: Number(prop[1]) }
  const [, slug, district] = /^\/returns\/([^/]+)\/district\/(all|[1-9]\d*)$/.exec(path) ?? []
  const office = districtOffices.find((candidate) => candidate.slug === slug)
  if (office === undefined || district === undefined) return undefined
  return { _tag: "District", office, district: district === "all" ? "all" : Number(district) }
}

/**
 * Reads an endpoint path such as `/returns/governor` or `/returns/us-rep/district/1/county/lake`. A
 * failure says what is wrong, naming the path.
 *
 * @since 0.1.0
 * @category paths
 */
export const parse = (text: string): Result.Result<Endpoint, string> => {
  const fail = (why: string) => Result.fail(`endpoint ${JSON.stringify(text)} ${why}`)
  if (!text.startsWith("/returns/")) return fail('does not start with "/returns/"')
  if (text.startsWith("/returns/query")) return fail("is the batch query: list contest ids in `contests` instead")
  if (/[?#]/.test(text)) return fail("has a query string: the format is set by `format`")
  const segments = text.slice("/returns/".length).split("/")
  const countyAt = segments.length >= 2 && segments.at(-2) === "county" ? segments.length - 2 : -1
  const county = countyAt === -1 ? undefined : ContestId.countyBySlug(segments.at(-1)!)
  if (countyAt !== -1 && county === undefined) return fail(`names no county of California (${segments.at(-1)})`)
  const target = parseTarget(`/returns/${(countyAt === -1 ? segments : segments.slice(0, countyAt)).join("/")}`)
  if (target === undefined) return fail("is not an endpoint of the API")
  return county === undefined ? Result.succeed({ target, county }) : withCounty({ target, county: undefined }, county)
}

/**
 * The county breakdown of an endpoint. `/district/all` has none, and `/returns/status` is kept whole
 * (the connector keeps the county's row).
 *
 * @since 0.1.0
 * @category paths
 */
export const withCounty = (endpoint: Endpoint, county: ContestId.County): Result.Result<Endpoint, string> => {
  const { target } = endpoint
  if (endpoint.county !== undefined && endpoint.county.code !== county.code) {
    return Result.fail(`endpoint ${path(endpoint)} already names another county than ${county.slug}`)
  }
  if (target._tag === "District" && target.district === "all") {
    return Result.fail(
      `endpoint ${path(endpoint)} has no county breakdown: name the districts, e.g. /returns/${target.office.slug}/district/1`
    )
  }
  return Result.succeed(target._tag === "Status" ? endpoint : { target, county })
}

/**
 * What a config without `endpoints` or `contests` reads: every statewide office, every presidential
 * party primary, every ballot measure, the supreme court, and every district of every district office.
 * An election has only some of these; the API answers 404 for the others, which a default read passes
 * over.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaults: ReadonlyArray<Endpoint> = [
  ...wholeTargets,
  ...districtOffices.map((office): Target => ({ _tag: "District", office, district: "all" }))
].map((target) => ({ target, county: undefined }))

/**
 * The most ids the batch query takes in one request; it answers HTTP 500 past it.
 *
 * @since 0.1.0
 * @category query
 */
export const maxQueryIds = 10

/**
 * The batch query requests for `ids`, in order, none with more than {@link maxQueryIds} ids.
 *
 * @since 0.1.0
 * @category query
 */
export const queryBatches = <A>(ids: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> =>
  Arr.chunksOf(ids, maxQueryIds)

/**
 * The path of one batch query.
 *
 * @since 0.1.0
 * @category query
 */
export const queryPath = (ids: ReadonlyArray<string>): string =>
  `/returns/query?r=${encodeURIComponent(JSON.stringify(ids))}`
