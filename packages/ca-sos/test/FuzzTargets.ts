/**
 * The connector's fuzz targets: each endpoint family's bodies, JSON and CSV, and the batch query's, decoded
 * into entities as a read decodes them (without HTTP; core makes the events) and hashed as the store hashes them. Seeds are the
 * simulator's bodies at three updates of election night. Run as a script, it fuzzes them in worker threads:
 * `pnpm fuzz` (see core's `Fuzz.main`).
 */
import { Feed, Http, type SourceError } from "@electfeed/core"
import { Fuzz } from "@electfeed/core/testing"
import { DateTime, Effect, Result } from "effect"
import { Headers } from "effect/http"
import { ContestId, Endpoints, source } from "../src/index.ts"
import { contestResults, statusEntities } from "../src/internal/bodies.ts"
import { type ContestsRequest, endpointRequest, queryRequest } from "../src/internal/plan.ts"
import { Data, Election, Simulator } from "../src/testing/index.ts"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const client = await Effect.runPromise(
  Http.makeClient({ source: source.id, connector: source.connector, baseUrl: "https://api.sos.ca.gov" }).pipe(
    Effect.provide(Http.layer)
  )
)

const observedAt = DateTime.makeUnsafe("2026-11-04T07:55:00Z")

// A body as the client hands it over after a fetch.
const bodyOf = (bytes: Uint8Array, url: string): Http.Body => ({
  status: 200,
  headers: Headers.empty,
  url,
  observedAt,
  bytes,
  sha256: "0".repeat(64),
  text: decoder.decode(bytes)
})

// A request for contests, or for `/returns/status` (none), read as `csv` says.
interface Request {
  readonly contests: ContestsRequest | undefined
  readonly csv: boolean
}

const decode =
  ({ contests, csv }: Request) =>
  (bytes: Uint8Array) => {
    const body = bodyOf(bytes, contests === undefined ? "/returns/status" : contests.request.url)
    const entities: Effect.Effect<ReadonlyArray<unknown>, SourceError.DecodeError> = contests === undefined
      ? statusEntities(client, csv, undefined, body)
      : contestResults(client, contests, csv, body)
    return Effect.map(entities, (all) => all.map((entity) => Feed.contentHash(entity)))
  }

const updates = [0, Math.floor(Data.builtin.steps / 2), Data.builtin.steps - 1]

const paths = (keep: (path: string) => boolean) =>
  Election.contests
    .map((contest) => contest.path)
    .filter(keep)
    .slice(0, 10)

const statewide = paths(
  (path) =>
    /^\/returns\/[a-z-]+$/.test(path) && Election.contests.some((c) => c.path === path && c.list === "candidates")
)

const families: ReadonlyArray<readonly [name: string, paths: ReadonlyArray<string>]> = [
  ["office", statewide],
  ["party-primary", paths((path) => path.includes("/party/"))],
  [
    "ballot-measures",
    ["/returns/ballot-measures", "/returns/ballot-measures/prop/1", "/returns/ballot-measures/prop/2"]
  ],
  ["supreme-court", ["/returns/supreme-court"]],
  ["district", paths((path) => /\/district\/\d+$/.test(path) && !path.includes("courts-of-appeal"))],
  [
    "district-all",
    Endpoints.districtOffices
      .filter((slug) => slug !== "courts-of-appeal")
      .map((slug) => `/returns/${slug}/district/all`)
  ],
  ["courts-of-appeal", ["/returns/courts-of-appeal/district/all"]],
  ["county", statewide.map((path) => `${path}/county/lake`)],
  ["status", ["/returns/status"]]
]

const endpointTargets = families.flatMap(([family, familyPaths]) =>
  (["json", "csv"] as const).map((format): Fuzz.Target => {
    const endpoints = familyPaths.map((path) => Result.getOrThrow(Endpoints.parse(path)))
    const [endpoint] = endpoints as [Endpoints.Endpoint]
    const csv = format === "csv"
    const request: Request = { contests: endpoint.list === "status" ? undefined : endpointRequest(endpoint, csv), csv }
    return {
      name: `ca-sos/${family}-${format}`,
      format,
      seeds: endpoints.flatMap((endpoint) =>
        updates.flatMap((update) => {
          const text = Simulator.bodyText(Data.builtin, endpoint, update, format)
          return text === undefined ? [] : [encoder.encode(text)]
        })
      ),
      run: decode(request)
    }
  })
)

const ids = Election.contests
  .flatMap((contest) => (contest.code === undefined ? [] : [`${contest.code}59`]))
  .slice(0, 10)

const queryTarget: Fuzz.Target = {
  name: "ca-sos/query-json",
  format: "json",
  seeds: updates.map((update) => encoder.encode(JSON.stringify(ids.map((id) => Data.builtin.contest(id, update))))),
  run: decode({ contests: queryRequest(ids.map((id) => Result.getOrThrow(ContestId.parse(id)))), csv: false })
}

/**
 * @since 0.1.0
 */
export const targets: ReadonlyArray<Fuzz.Target> = [...endpointTargets, queryTarget]

if (import.meta.main) await Fuzz.main({ module: import.meta.url, targets, bodies: 40_000 })
