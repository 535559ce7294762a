/**
 * A folder of real response bodies (such as `../shared/fixtures/ca-sos`) as simulator data.
 *
 * Every `*.json` file below the folder is a capture. Where it is served comes from its name or shape:
 *
 * - a name `<slug>__…` (as the Big Local News captures are named) puts it at `/returns/<slug>`, or at
 *   `/returns/<slug>/district/all` for a district office;
 * - otherwise an object with `ballot-measures` or `supreme-court` is served at that endpoint, and an
 *   array of district contests (a batch query's answer) only by its contests.
 *
 * Each contest in it is also served by id through the batch query (its id built from the endpoint,
 * and for a district contest from the office and number in its title), and each district contest at
 * `/returns/<office>/district/<n>`. Captures of the same resource, in file path order, are the updates
 * of the timeline; without it, the last capture is served. A file that cannot be placed is left out;
 * county breakdowns, CSV and status are served only from what the files hold.
 *
 * @since 0.1.0
 */
import { readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { Result } from "effect"
import * as ContestId from "../ContestId.ts"
import * as Endpoints from "../Endpoints.ts"
import type { Data } from "./Data.ts"
import type * as Render from "./Render.ts"

const districtTitles: ReadonlyArray<readonly [RegExp, string]> = [
  [/^U\.S\. House of Representatives\b/, "us-rep"],
  [/^State Senate\b/, "state-senate"],
  [/^State Assembly\b/, "state-assembly"],
  [/^Board of Equalization\b/, "board-of-equalization"],
  [/^Courts of Appeal\b/, "courts-of-appeal"]
]

const jsonFiles = (folder: string): ReadonlyArray<string> =>
  readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .map((name) => path.join(folder, name))
    .sort()

const parsed = (path: string) => Result.getOrUndefined(Endpoints.parse(path))

const endpointOf = (name: string, body: unknown): Endpoints.Endpoint | undefined => {
  const slug = /^([a-z-]+)__/.exec(name)?.[1]
  if (slug !== undefined) {
    const byDistrict = Endpoints.districtOffices.includes(slug)
    return parsed(byDistrict ? `/returns/${slug}/district/all` : `/returns/${slug}`)
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  if ("ballot-measures" in body) return parsed("/returns/ballot-measures")
  if ("supreme-court" in body) return parsed("/returns/supreme-court")
  return undefined
}

const districtOf = (contest: Render.JsonContest): Endpoints.Endpoint | undefined => {
  const slug = districtTitles.find(([pattern]) => pattern.test(contest.raceTitle))?.[1]
  const district = /\bDistrict (\d+)\b/.exec(contest.raceTitle)?.[1]
  return slug === undefined || district === undefined ? undefined : parsed(`/returns/${slug}/district/${district}`)
}

/**
 * The captures in `folder` as simulator data. Throws when the folder cannot be read.
 *
 * @since 0.1.0
 * @category data
 */
export const load = (folder: string): Data => {
  const bodies = new Map<string, Array<Render.JsonBody | Render.JsonStatus>>()
  const contests = new Map<string, Array<Render.JsonContest>>()
  const add = <A>(map: Map<string, Array<A>>, key: string, value: A) => map.set(key, [...(map.get(key) ?? []), value])
  const addContest = (endpoint: Endpoints.Endpoint, contest: Render.JsonContest) => {
    const id = Endpoints.contestIdOf(endpoint)
    if (id !== undefined) add(contests, ContestId.format(id), contest)
    for (const measure of contest["ballot-measures"] ?? []) {
      if (!/^\d{1,2}$/.test(measure.Number)) continue
      const seat = Number(measure.Number)
      const id = ContestId.format(ContestId.make({ raceType: ContestId.RaceType["ballot-measures"], seat }))
      add(contests, id, { ...contest, "ballot-measures": [measure] })
    }
  }
  for (const file of jsonFiles(folder)) {
    const body: unknown = JSON.parse(readFileSync(file, "utf8"))
    const endpoint = endpointOf(path.basename(file), body)
    if (endpoint !== undefined) add(bodies, Endpoints.path(endpoint), body as Render.JsonBody)
    const elements = (Array.isArray(body) ? body : [body]) as ReadonlyArray<Render.JsonContest>
    for (const contest of elements) {
      const district = Array.isArray(body) ? districtOf(contest) : endpoint
      if (district === undefined) continue
      addContest(district, contest)
      if (Array.isArray(body)) add(bodies, Endpoints.path(district), contest)
    }
  }
  const at = <A>(captures: ReadonlyArray<A> | undefined, position: number) =>
    captures?.[Math.min(position, captures.length - 1)]
  return {
    steps: Math.max(1, ...[...bodies.values(), ...contests.values()].map((captures) => captures.length)),
    body: (endpoint, position) => at(bodies.get(Endpoints.path(endpoint)), position),
    contest: (id, position) => at(contests.get(id), position)
  }
}
