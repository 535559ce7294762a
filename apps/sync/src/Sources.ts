/**
 * The sources this app can read. Adding a connector to the app is one entry here (and a subcommand of
 * `read` in `Cli.ts` for its ad-hoc flags).
 *
 * @since 0.1.0
 */
import * as Ballotpedia from "@electfeed/ballotpedia"
import * as CaSos from "@electfeed/ca-sos"
import { Duration } from "effect"
import type { Installed } from "./AppConfig.ts"

/**
 * Every installed source, with its secrets' environment variables and its default poll cadence.
 *
 * @since 0.1.0
 * @category registry
 */
export const installed: ReadonlyArray<Installed> = [
  { source: CaSos.source, secrets: {}, every: Duration.seconds(60) },
  { source: Ballotpedia.source, secrets: { apiKey: "BALLOTPEDIA_API_KEY" }, every: Duration.hours(24) }
]

/**
 * The installed source with this id.
 *
 * @since 0.1.0
 * @category registry
 */
export const byId = (id: string): Installed => {
  const found = installed.find((entry) => entry.source.id === id)
  if (found === undefined) throw new Error(`no installed source ${id}`)
  return found
}
