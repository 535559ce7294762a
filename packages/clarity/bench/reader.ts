/**
 * One measured read, in a process of its own so that its peak RSS is its own. `index.ts` bundles it
 * once for each mode (`READER_MODE`, so that each bundle holds only its own read) and starts it:
 * `reader-<mode>.js <site url> <downloads folder>`; it answers with its figures.
 *
 * - `source`: the connector's `results` stream at the precinct level, with vote types (download to disk,
 *   unzip, parse, map to events).
 * - `baseline`: the same libraries with no Effect: a bare `fetch` of the zip to disk, then fflate's
 *   streaming `Unzip` for the zip's structure, Node's zlib to inflate and saxes, counting one row per
 *   contest and reporting unit as the source emits.
 */
import { once } from "node:events"
import * as fs from "node:fs"
import * as path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import * as Zlib from "node:zlib"
import { Unzip, type UnzipDecoder } from "fflate"
import { SaxesParser } from "saxes"
import * as Bench from "../../../tooling/scripts/bench-results.ts"

export interface Figures {
  readonly rows: number
  readonly wallMillis: number
  readonly cpuMillis: number
  readonly peakRss: number
}

// Set by the bundler.
declare const READER_MODE: "source" | "baseline"

const [url, downloads] = process.argv.slice(2) as [string, string]

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

// fflate hands the entry's deflated bytes on as they are, for zlib (as the source does).
class Deflated implements UnzipDecoder {
  static readonly compression = 8
  ondata: UnzipDecoder["ondata"] = () => {}
  push(chunk: Uint8Array<ArrayBuffer>, final: boolean) {
    this.ondata(null, chunk, final)
  }
}

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
  const inflater = Zlib.createInflateRaw()
  inflater.on("data", (data: Buffer) => {
    // In small pieces, as the source does: large strings would be freed only by full collections.
    for (let at = 0; at < data.byteLength; at += piece)
      parser.write(decoder.decode(data.subarray(at, at + piece), { stream: true }))
  })
  const unzip = new Unzip((entry) => {
    entry.ondata = (error, data, final) => {
      if (error !== null) throw error
      inflater.write(data)
      if (final) inflater.end()
    }
    entry.start()
  })
  unzip.register(Deflated)
  for await (const chunk of fs.createReadStream(file)) {
    unzip.push(chunk as Uint8Array)
    if (inflater.writableNeedDrain) await once(inflater, "drain")
  }
  unzip.push(new Uint8Array(0), true)
  if (!inflater.readableEnded) await once(inflater, "end")
  parser.close()
  fs.rmSync(file)
  return rows
}

const rss = Bench.sampleRss()
const run = await Bench.timed(READER_MODE === "source" ? viaSource : baseline)
const figures: Figures = { rows: run.value, wallMillis: run.wallMillis, cpuMillis: run.cpuMillis, peakRss: rss.stop() }
process.send!(figures)
process.disconnect()
