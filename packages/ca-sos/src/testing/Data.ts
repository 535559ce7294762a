/**
 * What a simulator serves: bodies by endpoint and contests by id, at each update of its timeline. The
 * built-in election is one such data set; a folder of real bodies is another.
 *
 * @since 0.1.0
 */
import * as ContestId from "../ContestId.ts"
import type * as Endpoints from "../Endpoints.ts"
import * as Election from "./Election.ts"
import * as Render from "./Render.ts"
import * as Timeline from "./Timeline.ts"

/**
 * The data a simulator serves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Data {
  /** How many updates there are; the last one is served when the timeline is off. */
  readonly steps: number
  /** The JSON body of an endpoint at update `position`, or `undefined` where the API has none (a 404). */
  readonly body: (endpoint: Endpoints.Endpoint, position: number) => Render.JsonBody | Render.JsonStatus | undefined
  /** One contest by its 14-digit id at update `position`, for the batch query. */
  readonly contest: (id: string, position: number) => Render.JsonContest | undefined
}

interface Entry {
  readonly contest: Election.Contest
  /** The measures a result keeps: one for a single proposition. */
  readonly keep?: (item: Election.YesNo) => boolean
}

const propCode = (prop: number) =>
  ContestId.format(ContestId.make({ raceType: ContestId.RaceType["ballot-measures"], seat: prop })).slice(0, 12)

const onlyProp = (prop: number) => (item: Election.YesNo) => Number(item.number) === prop

/**
 * The built-in election of {@link Election}, over the updates of {@link Timeline}.
 *
 * @since 0.1.0
 * @category data
 */
export const builtin: Data = (() => {
  const byPath = new Map(Election.contests.map((contest): [string, Entry] => [contest.path, { contest }]))
  const byCode = new Map<string, Entry>()
  for (const contest of Election.contests) {
    if (contest.code !== undefined) byCode.set(contest.code, { contest })
    for (const item of contest.list === "ballot-measures" ? contest.yesNo : []) {
      byCode.set(propCode(Number(item.number)), { contest, keep: onlyProp(Number(item.number)) })
    }
  }
  const render = (entry: Entry, position: number, county: ContestId.County | undefined) =>
    Render.contestJson(entry.contest, Timeline.moments[position]!, county, entry.keep)
  const entryOf = ({ base, id }: Endpoints.Endpoint): Entry | undefined =>
    id?.raceType === ContestId.RaceType["ballot-measures"] && id.seat !== 0
      ? byCode.get(propCode(id.seat))
      : byPath.get(base)
  return {
    steps: Timeline.moments.length,
    body: (endpoint, position) => {
      const { county } = endpoint
      if (endpoint.list === "status") return Render.statusJson(Timeline.moments[position]!)
      if (endpoint.allDistricts) {
        const prefix = endpoint.base.replace(/all$/, "")
        return Election.contests
          .filter((contest) => contest.path.startsWith(prefix))
          .map((contest) => render({ contest }, position, undefined))
      }
      const entry = entryOf(endpoint)
      if (entry === undefined) return undefined
      const whole = render(entry, position, undefined)
      if (county === undefined) return whole
      // A county outside a district gets the districtwide result alone.
      return entry.contest.counties.includes(county) ? [render(entry, position, county), whole] : [whole]
    },
    contest: (id, position) => {
      const entry = /^\d{14}$/.test(id) ? byCode.get(id.slice(0, 12)) : undefined
      if (entry === undefined) return undefined
      const code = Number(id.slice(12))
      if (code === ContestId.wholeArea) return render(entry, position, undefined)
      const county = ContestId.countyByCode(code)
      return county !== undefined && entry.contest.counties.includes(county)
        ? render(entry, position, county)
        : undefined
    }
  }
})()
