/**
 * One measured read, in a process of its own so that its peak RSS is its own. Started by `index.ts`:
 * `reader.ts source|baseline <simulator url> <api key>`; answers with its figures.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { Download, Progress, Source } from "@electfeed/core"
import { Effect, Redacted, Stream } from "effect"
import { source } from "../src/index.ts"

export interface Figures {
  readonly rows: number
  readonly millis: number
  /** Until the file was on disk. */
  readonly downloadMillis: number
  /** The highest of `process.memoryUsage().rss`, sampled every 20 ms. */
  readonly sampledRss: number
  /** `process.resourceUsage().maxRSS`, in bytes. */
  readonly maxRss: number
}

const [mode, url, apiKey] = process.argv.slice(2) as ["source" | "baseline", string, string]
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-bench-"))
let sampledRss = 0
const sampler = setInterval(() => {
  sampledRss = Math.max(sampledRss, process.memoryUsage().rss)
}, 20)

// The source: download to disk, parse, decode and map every row to an event.
const viaSource = async () => {
  let rows = 0
  let downloadMillis = 0
  const started = performance.now()
  await Effect.runPromise(
    source.read({ baseUrl: url, apiKey: Redacted.make(apiKey) }).pipe(
      Stream.runForEach((item) =>
        Effect.sync(() => {
          if (item._tag === "Event") rows++
        })
      ),
      Effect.provide(Source.layer),
      Effect.provideService(Download.DownloadDirectory, directory),
      Effect.provideService(Progress.ProgressReporter, (report) =>
        Effect.sync(() => {
          if (report.phase === "download" && report.done) downloadMillis = performance.now() - started
        })
      )
    )
  )
  return { rows, millis: performance.now() - started, downloadMillis }
}

// The plain way: a bare fetch of a fresh link to disk, then a line split and JSON.parse of each row
// (the generated file has one row per line), without decoding or mapping.
const baseline = async () => {
  const started = performance.now()
  const answer = await fetch(`${url}/getQueryResults`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({ id: "1253", format: "json" })
  })
  const { data } = (await answer.json()) as { data: { url: string } }
  const file = path.join(directory, "baseline.json")
  const response = await fetch(data.url)
  await pipeline(Readable.fromWeb(response.body as never), fs.createWriteStream(file))
  const downloadMillis = performance.now() - started
  let rows = 0
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    if (line.startsWith("{")) {
      JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line)
      rows++
    }
  }
  return { rows, millis: performance.now() - started, downloadMillis }
}

try {
  const result = await (mode === "source" ? viaSource() : baseline())
  clearInterval(sampler)
  const figures: Figures = { ...result, sampledRss, maxRss: process.resourceUsage().maxRSS * 1024 }
  process.send!(figures)
} finally {
  fs.rmSync(directory, { recursive: true, force: true })
  process.disconnect()
}
