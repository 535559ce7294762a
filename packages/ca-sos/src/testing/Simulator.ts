/**
 * The CA SOS API on 127.0.0.1: every endpoint family, county breakdowns, `?f=csv`, `/returns/status`
 * and the batch query, over the built-in election or a folder of real bodies, on core's simulator server
 * (so faults can be injected: 429 with `Retry-After`, 503 bursts, a reset or truncated or slow body).
 *
 * Like the API, it answers 404 for any path or id it does not have, 500 for a batch query of more than
 * ten ids (or one it cannot read), and 400 for a batch query in CSV.
 *
 * @since 0.1.0
 */
import { Simulator, Timeline } from "@electfeed/core/simulator"
import { Effect, Result, type Scope } from "effect"
import * as Endpoints from "../Endpoints.ts"
import * as Data from "./Data.ts"
import * as Folder from "./Folder.ts"
import * as Render from "./Render.ts"

/**
 * How to start the simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** `builtin` (default): the invented election. `{ folder }`: the real bodies in a folder. */
  readonly data?: "builtin" | { readonly folder: string } | undefined
  /** Start at the first update and move on with `step()`; otherwise serve the final results. */
  readonly timeline?: boolean | undefined
  /** Default: any free port. */
  readonly port?: number | undefined
}

/**
 * A running simulator: core's handle (`url`, `inject`, `requests`, …) and the timeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaSosSimulator extends Simulator.Simulator {
  /** How many updates the data has. */
  readonly steps: number
  /** The update served now, from 0 to `steps - 1`. */
  readonly position: number
  /** Serves the next update; on the last one, stays there. */
  readonly step: () => void
  /**
   * Serves the update it started at again.
   *
   * @since 0.1.1
   */
  readonly reset: () => void
}

const reply = (status: number, contentType: string, body: string): Simulator.Reply => ({
  status,
  headers: { "content-type": `${contentType}; charset=utf-8` },
  body
})

const text = (status: number, body: string) => reply(status, "text/plain", body)

const json = (body: unknown) => reply(200, "application/json", JSON.stringify(body))

const query = (data: Data.Data, position: number, request: Simulator.SimRequest): Simulator.Reply => {
  if (request.url.searchParams.get("f") === "csv") return text(400, "CSV format is not supported for this endpoint")
  const ids = Result.getOrUndefined(Result.try(() => JSON.parse(request.url.searchParams.get("r") ?? "") as unknown))
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string") || ids.length > Endpoints.maxQueryIds) {
    return text(500, "Internal Server Error")
  }
  const contests = ids.map((id) => data.contest(id, position))
  return contests.every((contest) => contest !== undefined) ? json(contests) : text(404, "Not Found")
}

/**
 * The body of an endpoint at update `position`, as the API writes it in `format`; `undefined` where the
 * API answers 404.
 *
 * @since 0.1.0
 * @category bodies
 */
export const bodyText = (
  data: Data.Data,
  endpoint: Endpoints.Endpoint,
  position: number,
  format: "json" | "csv"
): string | undefined => {
  const body = data.body(endpoint, position)
  if (body === undefined) return undefined
  if (format === "json") return JSON.stringify(body)
  const { list } = endpoint
  return list === "status"
    ? Render.statusCsv(body as Render.JsonStatus)
    : Render.contestsCsv(list, Array.isArray(body) ? body : [body as Render.JsonContest])
}

/**
 * The routes over `data`, serving the update `position()` gives.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler =
  (data: Data.Data, position: () => number): Simulator.Handler =>
  (request) =>
    answer(data, position(), request)

const answer = (data: Data.Data, position: number, request: Simulator.SimRequest): Simulator.Reply => {
  if (request.method !== "GET") return text(405, "Method Not Allowed")
  if (request.path === "/returns/query") return query(data, position, request)
  const endpoint = Endpoints.parse(request.path)
  const format = request.url.searchParams.get("f") === "csv" ? "csv" : "json"
  const body = Result.isSuccess(endpoint) ? bodyText(data, endpoint.success, position, format) : undefined
  return body === undefined
    ? text(404, "Not Found")
    : reply(200, format === "csv" ? "text/csv" : "application/json", body)
}

/**
 * Starts the simulator until the scope closes. Reading a folder that does not exist is a defect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options?: Options): Effect.Effect<CaSosSimulator, never, Scope.Scope> =>
  Effect.gen(function* () {
    const source = options?.data ?? "builtin"
    const data = source === "builtin" ? Data.builtin : yield* Effect.sync(() => Folder.load(source.folder))
    // The versions are the updates' positions: `data` renders each one on request.
    const positions = Array.from({ length: Math.max(1, data.steps) }, (_, i) => i) as [number, ...Array<number>]
    const timeline = Timeline.make(positions, { start: options?.timeline === true ? "first" : "last" })
    const server = yield* Simulator.serve(
      Timeline.handler(timeline, (position, request) => answer(data, position, request)),
      options?.port === undefined ? undefined : { port: options.port }
    )
    return {
      ...server,
      steps: data.steps,
      get position() {
        return timeline.position
      },
      step: timeline.advance,
      reset: timeline.reset
    }
  })
