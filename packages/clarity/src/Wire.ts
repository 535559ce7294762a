/**
 * A Clarity site's files, as the site publishes them under `<site>/<election>/`.
 *
 * @since 0.1.0
 */
import type { Http } from "@electfeed/core"
import { HttpClientRequest } from "effect/http"

/**
 * The site's folder: `/GA/Fulton/105369`.
 *
 * @since 0.1.0
 * @category paths
 */
export const folder = (site: { readonly site: string; readonly election: string }): string =>
  `/${site.site.split("/").map(encodeURIComponent).join("/")}/${site.election}`

/**
 * `current_ver.txt`: the number of the version published last.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const currentVersion = (site: { readonly site: string; readonly election: string }) =>
  HttpClientRequest.get(`${folder(site)}/current_ver.txt`)

/**
 * The version in `current_ver.txt`: digits, white space around them allowed.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseVersion = (body: Http.Body): string | { readonly error: string } => {
  const version = body.text.trim()
  return /^\d{1,15}$/.test(version) ? version : { error: "expected a version number in current_ver.txt" }
}

/**
 * The reports of a version: `detailxml.zip` (`detail.xml`) and `summary.zip` (`summary.csv`).
 *
 * @since 0.1.0
 * @category paths
 */
export const report = (
  site: { readonly site: string; readonly election: string },
  version: string,
  name: "detailxml.zip" | "summary.zip"
): string => `${folder(site)}/${version}/reports/${name}`
