/**
 * The sources built into this app. Everything the app needs to know of a source (its description,
 * secrets, cadence and command-line flags) comes from the source itself; any other connector is loaded
 * as a plugin (see `Plugins.ts`).
 *
 * @since 0.1.0
 */
import * as Ballotpedia from "@electfeed/ballotpedia"
import * as CaSos from "@electfeed/ca-sos"
import * as Clarity from "@electfeed/clarity"
import type { Source } from "@electfeed/core"

/**
 * A source the app can read, and where its package was found.
 *
 * @since 0.1.0
 * @category models
 */
export interface Installed {
  readonly source: Source.Any
  /** Its package's name, e.g. `@electfeed/ca-sos`. */
  readonly packageName: string
  /** A file its package is resolved from (its entry, or this app for a built-in one): its simulator is looked for from there. */
  readonly entry: string
}

const installed = (source: Source.Any, packageName: string): Installed => ({
  source,
  packageName,
  entry: import.meta.filename
})

/**
 * The built-in sources.
 *
 * @since 0.2.0
 * @category registry
 */
export const builtin: ReadonlyArray<Installed> = [
  installed(CaSos.source, "@electfeed/ca-sos"),
  installed(Ballotpedia.source, "@electfeed/ballotpedia"),
  installed(Clarity.source, "@electfeed/clarity")
]
