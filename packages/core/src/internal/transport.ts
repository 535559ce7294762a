// A request on the wire, through undici's dispatcher directly. Effect's HttpClient would wrap each
// request in a second URL parse, abort controller and response object, and each body in a stream the
// client then guards again: per request, that cost as much as undici itself.
import type { Readable } from "node:stream"
import type * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect } from "effect"
import { Headers, type HttpClientRequest } from "effect/http"
import { ConfigError, type SourceError } from "../SourceError.ts"

/** The undici dispatcher the client sends through. */
export type Dispatcher = NodeHttpClient.Dispatcher["Service"]

/** A response whose headers are in; its body is still to be read (or destroyed). */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Readable
}

const ignore = () => {}

/** The request's body as undici takes it; a streamed or multipart body is not something a source sends. */
const bodyOf = (source: string, request: HttpClientRequest.HttpClientRequest) => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return body.body as string | Uint8Array
    default:
      return new ConfigError({
        source,
        detail: `a request body of kind ${body._tag} cannot be sent; send bytes (HttpClientRequest.bodyJson, bodyText, …)`
      })
  }
}

/**
 * Sends `request` to `target` and waits for its headers; `controller` breaks it off. `failed` turns what
 * undici throws into the error to report.
 */
export const dispatch = (
  dispatcher: Dispatcher,
  source: string,
  request: HttpClientRequest.HttpClientRequest,
  target: URL,
  controller: AbortController,
  failed: (cause: unknown) => SourceError
): Effect.Effect<Answer, SourceError> => {
  const body = bodyOf(source, request)
  if (body instanceof ConfigError) return Effect.fail(body)
  return Effect.callback<Answer, SourceError>((resume) => {
    let answer: Answer | undefined
    let interrupted = false
    dispatcher
      .request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: request.method as "GET",
        headers: request.headers,
        body,
        signal: controller.signal,
        // The client bounds every wait itself, on the effect clock.
        headersTimeout: 0,
        bodyTimeout: 0
      })
      .then(
        (response) => {
          // A body that fails with nobody reading it must not take the process down.
          response.body.on("error", ignore)
          if (interrupted) {
            response.body.destroy()
            return
          }
          answer = { status: response.statusCode, headers: Headers.fromInput(response.headers), body: response.body }
          resume(Effect.succeed(answer))
        },
        (cause: unknown) => resume(Effect.fail(failed(cause)))
      )
    return Effect.sync(() => {
      interrupted = true
      if (answer === undefined) controller.abort()
      else answer.body.destroy()
    })
  })
}
