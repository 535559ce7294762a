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
 * The office of an endpoint is its slug in {@link ContestId.RaceType}, but for the unexpired U.S. Senate
 * term (`/returns/us-senate-unexpired-term`), whose race type is not known.
 *
 * @since 0.1.0
 */
import { Array as Arr, Result } from "effect"
import * as ContestId from "./ContestId.ts"
import { type ListKey, listKeys } from "./Wire.ts"

const { RaceType } = ContestId

/**
 * The slugs of the offices elected by district; the other race types are read statewide.
 *
 * @since 0.1.0
 * @category offices
 */
export const districtOffices: ReadonlyArray<string> =
  "us-rep state-senate state-assembly board-of-equalization courts-of-appeal".split(" ")

/**
 * An endpoint, read from its path: what it returns, for the whole area or one county.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  /** The path without the county: `/returns/us-rep/district/1`. */
  readonly base: string
  /** The list its contests carry; `status` for `/returns/status`. */
  readonly list: ListKey | "status"
  /** Its contest id for the whole area, where known; for `/district/all`, district 0 (each title has its own). */
  readonly id: ContestId.ContestId | undefined
  /** `/district/all`: every district of an office, which has no county breakdown. */
  readonly allDistricts: boolean
  readonly county: ContestId.County | undefined
}

// An endpoint for the whole area. The slug after `/returns/` is the list its contests carry where it is a
// list key (`ballot-measures`, `supreme-court`, `courts-of-appeal`); the others carry candidates.
const whole = (base: string, id?: Parameters<typeof ContestId.make>[0], allDistricts = false): Endpoint => {
  const slug = base.split("/")[2]
  const list = slug === "status" ? "status" : (listKeys.find((key) => key === slug) ?? "candidates")
  return { base, list, id: id && ContestId.make(id), allDistricts, county: undefined }
}

// The endpoints that take no number: one contest each, or every measure.
const unnumbered: ReadonlyArray<Endpoint> = [
  ...Object.entries(RaceType)
    .filter(([slug]) => !districtOffices.includes(slug))
    .map(([slug, raceType]) => whole(`/returns/${slug}`, { raceType })),
  whole("/returns/us-senate-unexpired-term"),
  ...ContestId.parties.map((party) =>
    whole(`/returns/president/party/${party.slug}`, { raceType: RaceType.president, party: party.code })
  )
]

const wholeOf = (base: string): Endpoint | undefined => {
  const found = [...unnumbered, whole("/returns/status")].find((endpoint) => endpoint.base === base)
  if (found !== undefined) return found
  const prop = /^\/returns\/ballot-measures\/prop\/([1-9]\d*)$/.exec(base)
  if (prop !== null) return whole(base, { raceType: RaceType["ballot-measures"], seat: Number(prop[1]) })
  const [, slug = "", district] = /^\/returns\/([^/]+)\/district\/(all|[1-9]\d*)$/.exec(base) ?? []
  if (!districtOffices.includes(slug) || district === undefined) return undefined
  const raceType = RaceType[slug as keyof typeof RaceType]
  return whole(base, { raceType, district: district === "all" ? 0 : Number(district) }, district === "all")
}

/**
 * The contest id of an endpoint's result, for its county or the whole area; `undefined` where it is not
 * known. `/district/all` has no single id (each district has its own).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const contestIdOf = (endpoint: Endpoint): ContestId.ContestId | undefined =>
  endpoint.id === undefined || endpoint.allDistricts
    ? undefined
    : { ...endpoint.id, county: endpoint.county?.code ?? ContestId.wholeArea }

/**
 * The path of an endpoint, without the format parameter.
 *
 * @since 0.1.0
 * @category paths
 */
export const path = (endpoint: Endpoint): string =>
  endpoint.base + (endpoint.county === undefined ? "" : `/county/${endpoint.county.slug}`)

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
  const [, base = text, slug] = /^(.+)\/county\/([^/]+)$/.exec(text) ?? []
  const county = slug === undefined ? undefined : ContestId.countyBySlug(slug)
  if (slug !== undefined && county === undefined) return fail(`names no county of California (${slug})`)
  const endpoint = wholeOf(base)
  if (endpoint === undefined) return fail("is not an endpoint of the API")
  return county === undefined ? Result.succeed(endpoint) : withCounty(endpoint, county)
}

/**
 * The county breakdown of an endpoint. `/district/all` has none, and `/returns/status` is kept whole
 * (the connector keeps the county's row).
 *
 * @since 0.1.0
 * @category paths
 */
export const withCounty = (endpoint: Endpoint, county: ContestId.County): Result.Result<Endpoint, string> => {
  if (endpoint.county !== undefined && endpoint.county.code !== county.code) {
    return Result.fail(`endpoint ${path(endpoint)} already names another county than ${county.slug}`)
  }
  if (endpoint.allDistricts) {
    return Result.fail(
      `endpoint ${path(endpoint)} has no county breakdown: name the districts, e.g. ${endpoint.base.replace(/all$/, "1")}`
    )
  }
  return Result.succeed(endpoint.list === "status" ? endpoint : { ...endpoint, county })
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
  ...unnumbered,
  ...districtOffices.map((slug) => wholeOf(`/returns/${slug}/district/all`)!)
]

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
