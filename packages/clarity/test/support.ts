import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Download, type Source, type SourceError } from "@electfeed/core"
import { Simulator } from "@electfeed/core/simulator"
import { Conformance } from "@electfeed/core/testing"
import { Effect } from "effect"
import { type Config, source } from "../src/index.ts"

/** A site serving `current_ver.txt` = `version` and, under it, the report zips given. */
export const serveReports = (version: string, zips: { readonly detail?: Uint8Array; readonly summary?: Uint8Array }) =>
  Simulator.serve((request) => {
    if (request.path.endsWith("/current_ver.txt")) return { status: 200, body: version }
    const zip = request.path.endsWith(`/${version}/reports/detailxml.zip`)
      ? zips.detail
      : request.path.endsWith(`/${version}/reports/summary.zip`)
        ? zips.summary
        : undefined
    return zip === undefined ? { status: 404, body: "Not Found" } : { status: 200, body: zip }
  })

/** A config of the site at `url`. */
export const configOf = (url: string, more: Partial<Config.Config> & Pick<Config.Config, "site">): Config.Config => ({
  baseUrl: url,
  election: "105369",
  level: "county",
  voteTypes: true,
  ...more
})

/** Reads `config` to the end (virtual time for waits), downloads in a folder of the test's own. */
export const read = (
  config: Config.Config,
  options?: Source.ReadOptions
): Effect.Effect<ReadonlyArray<Source.ReadItem>, SourceError.SourceError> =>
  Effect.acquireUseRelease(
    Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-clarity-test-"))),
    (downloads) =>
      Conformance.withVirtualTime(
        Conformance.readAll(source, config, options).pipe(Effect.provideService(Download.DownloadDirectory, downloads))
      ),
    (downloads) => Effect.sync(() => fs.rmSync(downloads, { recursive: true, force: true }))
  )

/** The events of a read's items. */
export const eventsOf = (items: ReadonlyArray<Source.ReadItem>) =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))
