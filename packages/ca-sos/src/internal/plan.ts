/**
 * What a config reads: the requests for contests (endpoints and batch queries, each with what its body
 * answers) and for `/returns/status`, or why the config cannot be read.
 */
import { Array as Arr, Result } from "effect"
import { HttpClientRequest, UrlParams } from "effect/http"
import type * as Config from "../Config.ts"
import * as ContestId from "../ContestId.ts"
import * as Endpoints from "../Endpoints.ts"
import type * as Mapping from "../Mapping.ts"

/** A request for contests: an endpoint or a batch query. */
export interface ContestsRequest {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly origin: Mapping.Origin
}

/** The request for an endpoint, in JSON or CSV. */
export const endpointRequest = (endpoint: Endpoints.Endpoint, csv: boolean): ContestsRequest => ({
  request: HttpClientRequest.get(Endpoints.path(endpoint) + (csv ? "?f=csv" : "")),
  origin: { _tag: "Endpoint", endpoint }
})

/** The batch query for `ids`, at most {@link Endpoints.maxQueryIds} of them. */
export const queryRequest = (ids: ReadonlyArray<ContestId.ContestId>): ContestsRequest => ({
  request: HttpClientRequest.get(Endpoints.queryPath(ids.map(ContestId.format))),
  origin: { _tag: "Query", ids }
})

/**
 * What a config reads; a failure names the offending id, path or county. `defaults`: the endpoints are
 * {@link Endpoints.defaults}, whose families an election may lack.
 */
export const make = (config: Config.Config) =>
  Result.gen(function* () {
    const csv = config.format === "csv"
    const county = config.county === undefined ? undefined : yield* ContestId.parseCounty(config.county)
    const inCounty = (endpoint: Endpoints.Endpoint) =>
      county === undefined ? Result.succeed(endpoint) : Endpoints.withCounty(endpoint, county)
    const defaults = config.endpoints === undefined && config.contests === undefined
    const endpoints = defaults
      ? Arr.getSuccesses(Endpoints.defaults.map(inCounty))
      : yield* Result.all((config.endpoints ?? []).map((path) => Result.flatMap(Endpoints.parse(path), inCounty)))
    const ids = yield* Result.all((config.contests ?? []).map(ContestId.parse))
    if (ids.length > 0 && csv) {
      return yield* Result.fail(
        "the batch query (contests) has no CSV format: read contests with format json, or name their endpoints"
      )
    }
    if (endpoints.length + ids.length === 0) {
      return yield* Result.fail("nothing to read: `endpoints` and `contests` are both empty")
    }
    // `/returns/status` is read by a stream of its own.
    const [byEndpoint, status] = Arr.partition(endpoints, (endpoint) => {
      const request = endpointRequest(endpoint, csv)
      return endpoint.list === "status" ? Result.fail(request.request) : Result.succeed(request)
    })
    const contests = [...byEndpoint, ...Endpoints.queryBatches(ids).map(queryRequest)]
    return { contests, status, csv, county, defaults }
  })

/**
 * The request for contests a request core hands back is, found by method and URL (core may hand back an
 * equal request, not the same object). A request no plan holds finds none.
 */
export const plannedBy = (requests: ReadonlyArray<ContestsRequest>) => {
  const identity = (request: HttpClientRequest.HttpClientRequest) =>
    `${request.method} ${request.url}?${UrlParams.toString(request.urlParams)}`
  const planned = new Map(requests.map((details) => [identity(details.request), details]))
  return (request: HttpClientRequest.HttpClientRequest): ContestsRequest | undefined => planned.get(identity(request))
}
