/**
 * `electfeed serve`: the results API (with its OpenAPI document at `/api/openapi.json`), the live
 * results pages and their assets, on one Node HTTP server over the store the app has open.
 *
 * @since 0.2.0
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Layer, type Scope } from "effect"
import { HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import { HttpApiBuilder, HttpApiError } from "effect/http-api"
import type { SqlClient } from "effect/sql"
import type { Store, StoreError } from "../store/Store.ts"
import { Api } from "./Api.ts"
import * as Handlers from "./Handlers.ts"
import { Live } from "./Live.ts"
import * as Pages from "./Pages.ts"
import { Queries } from "./Queries.ts"

/**
 * Where to listen.
 *
 * @since 0.2.0
 * @category models
 */
export interface ServeOptions {
  /** 0 for any free port. */
  readonly port: number
  /** Default 127.0.0.1: the page is for this machine unless asked otherwise. */
  readonly host?: string | undefined
}

/**
 * The server could not listen (the port is taken, the host is not this machine's).
 *
 * @since 0.2.0
 * @category errors
 */
export class ServeError extends Error {
  override readonly name = "ServeError"
}

/**
 * A request the API cannot read (a `limit` out of range, a key too long) is answered 400 with what is
 * wrong and where, rather than an empty body.
 */
const badRequests = HttpRouter.middleware(
  (effect) =>
    Effect.catchDefect(effect, (defect) =>
      HttpApiError.HttpApiSchemaError.is(defect) && defect.kind !== "Body" && defect.kind !== "ResponseHeaders"
        ? Effect.succeed(
            HttpServerResponse.jsonUnsafe(
              { _tag: "BadRequest", location: defect.kind.toLowerCase(), message: defect.cause.message },
              { status: 400 }
            )
          )
        : Effect.die(defect)
    ),
  { global: true }
)

const routes = Layer.mergeAll(
  badRequests,
  HttpApiBuilder.layer(Api, { openapiPath: "/api/openapi.json" }).pipe(Layer.provide(Handlers.layer)),
  Pages.layer
).pipe(Layer.provide(Live.layer), Layer.provideMerge(Queries.layer))

/**
 * Starts the server in the current scope and returns its URL; it stops with the scope.
 *
 * @since 0.2.0
 * @category serving
 */
export const start = Effect.fn("Server.start")(function* (
  options: ServeOptions
): Effect.fn.Return<string, ServeError | StoreError, Store | SqlClient.SqlClient | Scope.Scope> {
  const host = options.host ?? "127.0.0.1"
  const context = yield* Layer.build(
    HttpRouter.serve(routes, { disableListenLog: true, disableLogger: true }).pipe(
      Layer.provideMerge(
        NodeHttpServer.layer(
          // An SSE response is long: only the request itself is bounded in time.
          () => createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }),
          { port: options.port, host }
        )
      )
    )
  ).pipe(
    Effect.catchTag("ServeError", (error) =>
      Effect.fail(new ServeError(`cannot listen on ${host}:${options.port}: ${error.message}`))
    )
  )
  const server = Context.get(context, HttpServer.HttpServer)
  return HttpServer.formatAddress(server.address).replace("0.0.0.0", "127.0.0.1")
})

/**
 * Serves until interrupted, telling its URL first.
 *
 * @since 0.2.0
 * @category serving
 */
export const serve = (options: ServeOptions, onListening: (url: string) => Effect.Effect<void, unknown>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const url = yield* start(options)
      yield* onListening(url)
      return yield* Effect.never
    })
  )
