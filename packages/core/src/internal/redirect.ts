import { Option } from "effect"
import { Headers, HttpBody, HttpClientRequest, UrlParams } from "effect/http"

/** The statuses followed as redirects. */
export const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308

/** Headers that must not follow a request to another origin, whoever set them. */
const originBound = ["authorization", "proxy-authorization", "cookie"]

/** Headers that describe a body, dropped with it. */
const bodyHeaders = ["content-type", "content-length", "content-encoding", "content-language", "content-location"]

/**
 * The request to send to `target` after `request` was answered with a redirect: as browsers do, a `303`
 * (or a `301`/`302` of a `POST`) becomes a `GET` without a body, and credentials set on the request
 * itself stay behind when the origin changes.
 */
export const redirectRequest = (
  request: HttpClientRequest.HttpClientRequest,
  status: number,
  from: string,
  target: URL
): HttpClientRequest.HttpClientRequest => {
  const toGet =
    (status === 303 && request.method !== "GET" && request.method !== "HEAD") ||
    ((status === 301 || status === 302) && request.method === "POST")
  let headers = request.headers
  if (toGet) headers = Headers.removeMany(headers, bodyHeaders)
  if (new URL(from).origin !== target.origin) headers = Headers.removeMany(headers, originBound)
  const url = new URL(target)
  url.hash = ""
  // The Location is requested as sent: handing `setUrl` a URL object would encode its query again.
  return HttpClientRequest.makeWith(
    toGet ? "GET" : request.method,
    url.href,
    UrlParams.empty,
    Option.none(),
    headers,
    toGet ? HttpBody.empty : request.body
  )
}
