/**
 * The California Secretary of State's election-night results API as an electfeed source, declared with
 * core's `Source.define`.
 *
 * A read fetches every endpoint of the config (or {@link Endpoints.defaults}) and every batch of contest
 * ids, decodes the bodies (JSON, or CSV with `format: "csv"`), and emits:
 *
 * - on stream `contests`, one `ContestResult` per office contest, measure and justice, keyed by contest id;
 * - on stream `county-status` (when `/returns/status` is among the endpoints), one `DatasetRow` per county.
 *
 * Core owns the rest: conditional requests and body hashes (a body unchanged since the checkpoint is
 * neither decoded nor emitted), the envelope, keys, checkpoints, retries, the rate limit and the
 * classification of failures (a 404, which the API also answers for what needs authentication, is
 * `NotFound` and never retried).
 *
 * @since 0.1.0
 */
import { Source, SourceError } from "@electfeed/core"
import { Effect } from "effect"
import pkg from "../package.json" with { type: "json" }
import * as Config from "./Config.ts"
import * as Bodies from "./internal/bodies.ts"
import * as Plan from "./internal/plan.ts"

/**
 * The connector id.
 *
 * @since 0.1.0
 * @category metadata
 */
export const id = "ca-sos"

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.define({
  id,
  package: pkg,
  description:
    "California Secretary of State election-night results (api.sos.ca.gov): every office, measure and retention contest",
  config: Config.Config,
  flags: [
    { name: "endpoint", key: "endpoints", metavar: "PATH", description: "An endpoint, e.g. /returns/governor" },
    { name: "contest", key: "contests", metavar: "ID", description: "A 14-digit contest id, read by the batch query" },
    { name: "county", key: "county", metavar: "SLUG", description: "Read the endpoints' county breakdown, e.g. lake" },
    { name: "format", key: "format", description: "Which of the API's formats to read (both give the same events)" }
  ],
  http: (config) => ({
    baseUrl: config.baseUrl ?? Config.defaultBaseUrl,
    rateLimit: config.rateLimit ?? Config.defaultRateLimit,
    retry: config.retry
  }),
  // The streams are those the config's requests go to; a config that cannot be read fails here.
  streams: ({ config }) =>
    Effect.fromResult(Plan.make(config)).pipe(
      Effect.mapError((detail) => new SourceError.ConfigError({ source: id, detail })),
      Effect.map(({ contests, status, csv, county, defaults }) => {
        const planned = Plan.plannedBy(contests)
        const contestResults = Source.snapshot({
          kind: "ContestResult",
          key: "the 14-digit contest id with its county code (a measure's own id carries its number); a justice adds /justice/<name>",
          description:
            "Every contest of the endpoints and contest ids read: offices, measures (one each), justices (one each)",
          requests: () => contests.map((request) => request.request),
          optional: () => defaults,
          body: (body, context) => Bodies.contestResults(context.client, planned(context.request), csv, body),
          entities: (results) => results
        })
        const countyStatus = Source.snapshot({
          kind: "DatasetRow",
          key: "status/<county slug>",
          description: "Each county's reporting status as the API gives it, one row per county",
          requests: () => status,
          body: (body, context) => Bodies.statusEntities(context.client, csv, county, body),
          entities: (rows) => rows
        })
        return {
          ...(contests.length === 0 ? {} : { contests: contestResults }),
          ...(status.length === 0 ? {} : { "county-status": countyStatus })
        }
      })
    )
})
