/**
 * One measured read, in a process of its own so that its peak RSS is its own. Started by `index.ts`:
 * `reader.ts source|baseline <site url> <downloads folder>`; answers with its figures.
 *
 * - `source`: the connector's `results` stream at the precinct level, with vote types (download to disk,
 *   unzip, parse, map to events).
 * - `baseline`: the same libraries with no Effect: a bare `fetch` of the zip to disk, then fflate's
 *   streaming unzip and saxes, counting one row per contest and reporting unit as the source emits.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { Unzip, UnzipInflate } from "fflate"
import { SaxesParser } from "saxes"
import * as Bench from "../../../tooling/scripts/bench-results.ts"

export interface Figures {
  readonly rows: number
  readonly wallMillis: number
  readonly cpuMillis: number
  readonly peakRss: number
}

const [mode, url, downloads] = process.argv.slice(2) as ["source" | "baseline", string, string]

// Imported only for the source's read, so that the baseline's process holds none of it.
const viaSource = async () => {
  const [{ Download, Source }, { Effect, Stream }, { source }] = await Promise.all([
    import("@electfeed/core"),
    import("effect"),
    import("../src/index.ts")
  ])
  return Effect.runPromise(
    source
      .read(
        { baseUrl: url, site: "GA", election: "115903", level: "precinct", voteTypes: true },
        { streams: ["results"] }
      )
      .pipe(
        Stream.runFold(
          () => 0,
          (rows, item) => (item._tag === "Event" ? rows + 1 : rows)
        ),
        Effect.provide(Source.layer),
        Effect.provideService(Download.DownloadDirectory, downloads)
      )
  )
}

const piece = 16 * 1024

const baseline = async () => {
  const version = (await (await fetch(`${url}/GA/115903/current_ver.txt`)).text()).trim()
  const file = path.join(downloads, "baseline.zip")
  const response = await fetch(`${url}/GA/115903/${version}/reports/detailxml.zip`)
  await pipeline(Readable.fromWeb(response.body as never), fs.createWriteStream(file))
  let rows = 0
  let units = new Set<string>()
  const parser = new SaxesParser({ xmlns: false })
  parser.on("opentag", (tag) => {
    if (tag.name === "Contest") units = new Set()
    else if (tag.name === "Precinct" && tag.attributes["votes"] !== undefined) units.add(tag.attributes["name"]!)
  })
  parser.on("closetag", (tag) => {
    if (tag.name === "Contest") rows += 1 + units.size
  })
  const decoder = new TextDecoder()
  const unzip = new Unzip((entry) => {
    entry.ondata = (error, data, final) => {
      if (error !== null) throw error
      // In small pieces, as the source does: large strings would be freed only by full collections.
      for (let at = 0; at < data.byteLength; at += piece)
        parser.write(decoder.decode(data.subarray(at, at + piece), { stream: true }))
      if (final) parser.close()
    }
    entry.start()
  })
  unzip.register(UnzipInflate)
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Uint8Array
    for (let at = 0; at < bytes.byteLength; at += piece) unzip.push(bytes.subarray(at, at + piece))
  }
  unzip.push(new Uint8Array(0), true)
  fs.rmSync(file)
  return rows
}

const rss = Bench.sampleRss()
const run = await Bench.timed(mode === "source" ? viaSource : baseline)
const figures: Figures = { rows: run.value, wallMillis: run.wallMillis, cpuMillis: run.cpuMillis, peakRss: rss.stop() }
process.send!(figures)
process.disconnect()
