/**
 * A Clarity site on 127.0.0.1, on core's simulator server (so tests can inject faults): an election's
 * state site (`/GA/<election>/`) and its county sites (`/GA/<County>/<election>/`), each with
 * `current_ver.txt` and, for every version published so far, `reports/detailxml.zip` and
 * `reports/summary.zip`, zipped on the fly. The versions advance over the night on a core `Timeline`.
 *
 * @since 0.1.0
 */
import { Simulator, Timeline } from "@electfeed/core/simulator"
import type { Effect, Scope } from "effect"
import * as Election from "./Election.ts"
import * as Render from "./Render.ts"
import { zipOf } from "./Zip.ts"

/**
 * What the simulator serves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default: the built-in {@link Election.election}. */
  readonly election?: Election.Election | undefined
  /**
   * The night's versions, the current one first served; `true` for the built-in night from its start (as
   * `electfeed simulate --timeline` asks). Default: the built-in night, at its end.
   */
  readonly timeline?: Timeline.Timeline<Election.Version> | boolean | undefined
  /** Default: any free port. */
  readonly port?: number | undefined
}

const notFound = { status: 404, headers: { "content-type": "text/html" }, body: "<html><body>Not Found</body></html>" }

const scopeOf = (election: Election.Election, site: string): Render.Scope | undefined => {
  const [state, county, extra] = site.split("/")
  if (state !== election.state || extra !== undefined) return undefined
  if (county === undefined) return { units: "County" }
  const name = decodeURIComponent(county)
  return election.counties.some((c) => c.name === name) ? { units: "Precinct", county: name } : undefined
}

/**
 * Serves a Clarity site until the scope closes; any other path is 404.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options?: Options): Effect.Effect<Simulator.Simulator, never, Scope.Scope> => {
  const election = options?.election ?? Election.election
  const timeline =
    typeof options?.timeline === "object"
      ? options.timeline
      : Timeline.make(Election.night, { start: options?.timeline === true ? "first" : "last" })
  const zips = new Map<string, Uint8Array>()
  const zipFor = (site: string, scope: Render.Scope, version: Election.Version, report: string) => {
    const key = `${site} ${version.number} ${report}`
    let zip = zips.get(key)
    if (zip === undefined) {
      zip =
        report === "detailxml"
          ? zipOf("detail.xml", Render.detailXml(election, version, scope))
          : zipOf("summary.csv", Render.summaryCsv(election, version, scope))
      zips.set(key, zip)
    }
    return zip
  }
  return Simulator.serve(
    Timeline.handler(timeline, (current, request) => {
      if (request.method !== "GET") return notFound
      const version = /^\/(.+)\/(\d+)\/current_ver\.txt$/.exec(request.path)
      if (version !== null) {
        if (version[2] !== election.id || scopeOf(election, version[1]!) === undefined) return notFound
        return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: String(current.number) }
      }
      const report = /^\/(.+)\/(\d+)\/(\d+)\/reports\/(detailxml|summary)\.zip$/.exec(request.path)
      if (report === null || report[2] !== election.id) return notFound
      const scope = scopeOf(election, report[1]!)
      // Every version published so far stays there; later ones do not exist yet.
      const published = timeline.versions.slice(0, timeline.position + 1).find((v) => String(v.number) === report[3])
      if (scope === undefined || published === undefined) return notFound
      const zip = zipFor(report[1]!, scope, published, report[4]!)
      return {
        status: 200,
        headers: { "content-type": "application/x-zip-compressed", etag: `"${published.number}-${report[4]}"` },
        body: zip
      }
    }),
    options?.port === undefined ? undefined : { port: options.port }
  )
}
