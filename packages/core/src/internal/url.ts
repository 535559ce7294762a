import type { HttpClientRequest } from "effect/http"
import { UrlParams } from "effect/http"

/** The URL a request goes to, its `urlParams` included. */
export const fullUrl = (request: HttpClientRequest.HttpClientRequest): string => {
  const params = UrlParams.toString(request.urlParams)
  return params === "" ? request.url : `${request.url}${request.url.includes("?") ? "&" : "?"}${params}`
}

export const isAbsolute = (url: string): boolean => /^https?:\/\//i.test(url)

/** `url` resolved against `base` the way connectors write paths: `/v1/x` below `https://api/root/`. */
export const joinUrl = (base: string, url: string): string =>
  isAbsolute(url) ? url : base.replace(/\/+$/, "") + "/" + url.replace(/^\/+/, "")

const parse = (url: string | URL, base?: string): URL | undefined => {
  try {
    return new URL(url, base)
  } catch {
    return undefined
  }
}

/** `https://host:port`, or `undefined` for what is not an absolute URL. */
export const originOf = (url: string): string | undefined => {
  const parsed = parse(url)
  return parsed === undefined || parsed.origin === "null" ? undefined : parsed.origin
}

/** Where a request goes, `urlParams` included; `undefined` when that is not an absolute http(s) URL. */
export const parseUrl = (request: HttpClientRequest.HttpClientRequest): URL | undefined => {
  const url = parse(fullUrl(request))
  return url !== undefined && (url.protocol === "http:" || url.protocol === "https:") ? url : undefined
}

/** Where a redirect's `Location` points, resolved against the URL that answered; `undefined` if nowhere usable. */
export const resolveLocation = (location: string | undefined, from: string): URL | undefined => {
  if (location === undefined) return undefined
  const target = parse(location, from)
  return target !== undefined && (target.protocol === "http:" || target.protocol === "https:") ? target : undefined
}
