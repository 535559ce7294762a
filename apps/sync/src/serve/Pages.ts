/**
 * The routes of the pages and their assets.
 *
 * @since 0.2.0
 */
import { Effect, Layer, Option } from "effect"
import { HttpRouter, type HttpServerRequest, HttpServerResponse } from "effect/http"
import { Store, type StoreError } from "../store/Store.ts"
import * as Assets from "./Assets.ts"
import * as Html from "./Html.ts"
import { Queries } from "./Queries.ts"

const html = (body: string, status = 200) =>
  HttpServerResponse.text(body, { status, contentType: "text/html; charset=utf-8" })

const page = (status: number, title: string, text: string) =>
  html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${Html.escapeHtml(title)}</title><link rel="stylesheet" href="/assets/page.css"></head><body><main><h1>${Html.escapeHtml(title)}</h1><p>${Html.escapeHtml(text)}</p><p><a href="/">All results</a></p></main></body></html>`,
    status
  )

const unavailable = (error: StoreError) =>
  Effect.as(
    Effect.logWarning(`page: ${error.message}`),
    page(503, "Results unavailable", "The store is not answering; try again in a moment.")
  )

const asset = (body: string, contentType: string) =>
  HttpServerResponse.text(body, { contentType, headers: { "cache-control": "public, max-age=300" } })

/**
 * The pages (`/`, `/contests/:key`) and assets (`/assets/…`).
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = Layer.unwrap(
  Effect.gen(function* () {
    const uplot = Assets.uplot()
    const queries = yield* Queries
    const store = yield* Store

    const results = Effect.gen(function* () {
      // The seq first: a change committed while the contests are read is sent again, never missed.
      const since = yield* queries.lastSeq
      const { rows } = yield* queries.contests({})
      return html(Html.resultsPage(rows, since))
    }).pipe(Effect.catchTag("StoreError", unavailable))

    const contest = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function* () {
        const url = new URL(request.url, "http://localhost")
        const key = yield* Effect.try({
          try: () => decodeURIComponent(url.pathname.slice("/contests/".length)),
          catch: () => "undecodable" as const
        })
        const source = url.searchParams.get("source") ?? undefined
        const since = yield* queries.lastSeq
        const found = yield* queries.contest(key, source)
        if (Option.isNone(found)) return page(404, "No such contest", `Nothing is stored under the key ${key}.`)
        const history = yield* store.history(found.value.source, found.value.key)
        return html(Html.contestPage(found.value, history, since))
      }).pipe(
        Effect.catchTag("StoreError", unavailable),
        // A key that is not valid percent-encoding cannot name a contest.
        Effect.catchIf(
          (error) => error === "undecodable",
          () => Effect.succeed(page(400, "Bad contest address", "The contest key in the address cannot be read."))
        )
      )

    return HttpRouter.addAll([
      HttpRouter.route("GET", "/", results),
      HttpRouter.route("GET", "/contests/*", contest),
      HttpRouter.route("GET", "/assets/page.js", asset(Assets.js, "text/javascript; charset=utf-8")),
      HttpRouter.route("GET", "/assets/page.css", asset(Assets.css, "text/css; charset=utf-8")),
      HttpRouter.route("GET", "/assets/uPlot.iife.min.js", asset(uplot.js, "text/javascript; charset=utf-8")),
      HttpRouter.route("GET", "/assets/uPlot.min.css", asset(uplot.css, "text/css; charset=utf-8"))
    ])
  })
)
