/**
 * The results API's handlers, over the store, its queries and the live feed.
 *
 * @since 0.2.0
 */
import { Effect, Option, Stream } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Store, type StoreError } from "../store/Store.ts"
import { Api, ContestNotFound, StoreUnavailable } from "./Api.ts"
import { Live, message } from "./Live.ts"
import { Queries } from "./Queries.ts"

const unavailable = (error: StoreError) => new StoreUnavailable({ detail: error.detail })

/**
 * The seq a client resumes after: a browser's `Last-Event-ID` first (it sends it when reconnecting),
 * then `since`. An id that is not a seq is ignored, as it cannot be one of ours.
 *
 * @since 0.2.0
 * @category resuming
 */
export const resumeAfter = (lastEventId: string | undefined, since: number | undefined): number | undefined =>
  lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId.trim()) : since

/**
 * The handlers.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = HttpApiBuilder.group(
  Api,
  "results",
  Effect.fn(function* (handlers) {
    const store = yield* Store
    const queries = yield* Queries
    const live = yield* Live
    return handlers
      .handle("contests", ({ query }) => {
        const paging = { limit: query.limit ?? 100, offset: query.offset ?? 0 }
        return queries
          .contests({ source: query.source, office: query.office, county: query.county, kind: query.kind }, paging)
          .pipe(
            Effect.map(({ rows, total }) => ({ total, ...paging, contests: rows })),
            Effect.mapError(unavailable)
          )
      })
      .handle("contest", ({ params, query }) =>
        Effect.gen(function* () {
          const found = yield* queries.contest(params.key, query.source)
          if (Option.isNone(found)) return yield* new ContestNotFound({ key: params.key })
          const history = yield* store.history(found.value.source, found.value.key)
          return { contest: found.value, history }
        }).pipe(Effect.catchTag("StoreError", (error) => Effect.fail(unavailable(error))))
      )
      .handle("changes", ({ query }) => {
        const since = query.since ?? 0
        return store.changes({ since }).pipe(
          Stream.take(query.limit ?? 100),
          Stream.runCollect,
          Effect.map((changes) => ({
            changes: changes.map(message),
            next: changes.at(-1)?.seq ?? since
          })),
          Effect.mapError(unavailable)
        )
      })
      .handleRaw("stream", ({ headers, query }) =>
        Effect.succeed(
          HttpServerResponse.stream(
            live.after(resumeAfter(headers["last-event-id"], query.since)).pipe(
              Stream.map((change) => change.bytes),
              // A store that fails ends the stream; the browser reconnects and resumes.
              Stream.catch((error) =>
                Stream.fromEffect(Effect.logWarning(`change stream: ${error.message}`)).pipe(Stream.drain)
              )
            ),
            {
              contentType: "text/event-stream",
              headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
            }
          )
        )
      )
      .handle("status", () =>
        Effect.gen(function* () {
          const sources = yield* store.status
          return {
            lastSeq: yield* queries.lastSeq,
            sources: sources.map((s) => ({
              source: s.source,
              lastRunAt: s.lastRunAt ?? null,
              lastSuccessAt: s.lastSuccessAt ?? null,
              lastError: s.lastError ?? null,
              entities: s.entities,
              skippedRows: s.skippedRows
            }))
          }
        }).pipe(Effect.mapError(unavailable))
      )
  })
)
