/**
 * The results API of `electfeed serve`, declared once: the server implements it, its OpenAPI document
 * (at `/api/openapi.json`) is made from it, and a typed client can be derived from it.
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import * as Results from "../Results.ts"

/**
 * No contest has that key.
 *
 * @since 0.2.0
 * @category errors
 */
export class ContestNotFound extends Schema.TaggedError<ContestNotFound>()(
  "ContestNotFound",
  { key: Schema.String },
  { httpApiStatus: 404 }
) {}

/**
 * The store cannot be read now (it is not answering, or it was closed); try again.
 *
 * @since 0.2.0
 * @category errors
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()(
  "StoreUnavailable",
  { detail: Schema.String },
  { httpApiStatus: 503 }
) {}

// Filters are bounded: a query string is upstream input too.
const Text = Schema.String.check(Schema.isMaxLength(200))
const Seq = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * Contests, one page of them, and how many pass the filters.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ContestPage = Schema.Struct({
  total: Schema.Int,
  limit: Schema.Int,
  offset: Schema.Int,
  contests: Schema.Array(Results.ContestSummary)
})

/**
 * One stored change of a contest's counts: a point of its time series.
 *
 * @since 0.2.0
 * @category schemas
 */
export const HistoryPoint = Schema.Struct({
  observedAt: Schema.String,
  change: Schema.String,
  regressed: Schema.Boolean,
  precinctsReporting: Schema.Int,
  precinctsTotal: Schema.Int,
  percentReporting: Schema.Number,
  selections: Schema.Array(Feed.Selection)
})

/**
 * A contest with its history, oldest first.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ContestDetail = Schema.Struct({
  contest: Results.ContestSummary,
  history: Schema.Array(HistoryPoint)
})

/**
 * A stored change: its place in the store-wide order, when it was committed, the event marked
 * `added`, `changed` (and `regressed`) or `removed`, and for a contest its summary.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ChangeMessage = Schema.Struct({
  seq: Schema.Int,
  committedAt: Schema.String,
  event: Feed.FeedEvent,
  contest: Schema.optionalKey(Results.ContestSummary)
})

/**
 * @since 0.2.0
 * @category models
 */
export type ChangeMessage = typeof ChangeMessage.Type

/**
 * Changes after a seq, and the seq to ask after next.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ChangePage = Schema.Struct({ changes: Schema.Array(ChangeMessage), next: Schema.Int })

/**
 * How each source stands.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Status = Schema.Struct({
  lastSeq: Schema.Int,
  sources: Schema.Array(
    Schema.Struct({
      source: Schema.String,
      lastRunAt: Schema.NullOr(Schema.String),
      lastSuccessAt: Schema.NullOr(Schema.String),
      lastError: Schema.NullOr(Schema.Struct({ at: Schema.String, message: Schema.String })),
      entities: Schema.Int,
      skippedRows: Schema.Int
    })
  )
})

/**
 * The endpoints.
 *
 * @since 0.2.0
 * @category api
 */
export class ResultsGroup extends HttpApiGroup.make("results", { topLevel: true })
  .add(
    HttpApiEndpoint.get("contests", "/contests", {
      query: {
        source: Schema.optional(Text),
        office: Schema.optional(Text),
        county: Schema.optional(Text),
        kind: Schema.optional(Schema.Literals(["candidate", "measure", "retention"])),
        limit: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1000 }))),
        offset: Schema.optional(Seq)
      },
      success: ContestPage,
      error: StoreUnavailable
    }).annotateMerge(
      OpenApi.annotations({
        description:
          "The contests stored, summed up (leader, margin in points, percent reporting), in (source, key) order; 100 a page unless `limit` says otherwise. `office` matches part of the office or title, `county` a county's name, any case."
      })
    ),
    HttpApiEndpoint.get("contest", "/contests/:key", {
      params: { key: Schema.String.check(Schema.isMaxLength(500)) },
      query: { source: Schema.optional(Text) },
      success: ContestDetail,
      error: [ContestNotFound, StoreUnavailable]
    }).annotateMerge(
      OpenApi.annotations({
        description:
          "A contest by its stored key (URL-encoded: keys hold slashes) with every change of its counts, oldest first: a time series of each selection's votes, with regressions marked."
      })
    ),
    HttpApiEndpoint.get("changes", "/changes", {
      query: {
        since: Schema.optional(Seq),
        limit: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1000 })))
      },
      success: ChangePage,
      error: StoreUnavailable
    }).annotateMerge(
      OpenApi.annotations({
        description:
          "The stored changes after `since` (default 0), in seq order, 100 at a time; ask again after `next`."
      })
    ),
    HttpApiEndpoint.get("stream", "/changes/stream", {
      query: { since: Schema.optional(Seq) },
      headers: { "last-event-id": Schema.optional(Schema.String.check(Schema.isMaxLength(20))) },
      success: HttpApiSchema.StreamSse({
        events: Schema.Struct({
          id: Schema.optional(Schema.String),
          event: Schema.String,
          data: Schema.fromJsonString(ChangeMessage)
        })
      })
    }).annotateMerge(
      OpenApi.annotations({
        description:
          "Server-sent events: each change as it is committed, as a `change` event whose id is its seq. Resumes after `Last-Event-ID` (as browsers send it on reconnecting), else after `since`, else from now. A client that falls far behind is disconnected, to reconnect and resume."
      })
    ),
    HttpApiEndpoint.get("status", "/status", { success: Status, error: StoreUnavailable }).annotateMerge(
      OpenApi.annotations({ description: "Per source: the last read, the last error, the entities stored." })
    )
  )
  .prefix("/api") {}

/**
 * The results API.
 *
 * @since 0.2.0
 * @category api
 */
export class Api extends HttpApi.make("electfeed")
  .add(ResultsGroup)
  .annotateMerge(
    OpenApi.annotations({
      title: "electfeed results API",
      description: "Election results from the electfeed store, and its changes as they are committed."
    })
  ) {}
