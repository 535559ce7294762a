/**
 * One measured read, in a process of its own so that its peak RSS is its own. Started by `index.ts`:
 * `reader.ts source|baseline json|csv <simulator url> <api key>`; answers with its figures.
 *
 * - `source`: the source as an app runs it, Node's default flags: download to disk, parse, decode and map
 *   every row to an event.
 * - `baseline`: the plain way, no Effect: raw undici streamed to disk, then the file streamed through a
 *   plain parser (a line split and `JSON.parse` of each row, the generated JSON having one row per line;
 *   a plain CSV splitter) and the same mapping to the Candidate's fields.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { pipeline } from "node:stream/promises"
import { Download, Progress, Source } from "@electfeed/core"
import { Effect, Redacted, Stream } from "effect"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { source } from "../src/index.ts"

export interface Figures {
  readonly rows: number
  readonly wallMillis: number
  readonly cpuMillis: number
  /** Until the file was on disk. */
  readonly downloadMillis: number
  /** The highest of `process.memoryUsage.rss()`, sampled every 10 ms. */
  readonly peakRss: number
}

const [mode, format, url, apiKey] = process.argv.slice(2) as ["source" | "baseline", "json" | "csv", string, string]
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-bench-"))

const viaSource = async () => {
  let rows = 0
  let downloaded = 0
  await Effect.runPromise(
    source.read({ baseUrl: url, apiKey: Redacted.make(apiKey), format }).pipe(
      Stream.runForEachArray((items) =>
        Effect.sync(() => {
          for (const item of items) if (item._tag === "Event") rows++
        })
      ),
      Effect.provide(Source.layer),
      Effect.provideService(Download.DownloadDirectory, directory),
      Effect.provideService(Progress.ProgressReporter, (report) =>
        Effect.sync(() => {
          if (report.phase === "download" && report.done) downloaded = performance.now()
        })
      )
    )
  )
  return { rows, downloaded }
}

const cell = (value: unknown) => (value === "" || value === undefined || value === null ? null : String(value))
const flag = (value: unknown) => (cell(value) === null ? null : value === "true")
const count = (value: unknown) => (cell(value) === null ? null : Number(value))

// The Candidate's fields, as `Candidate.ts` maps them, by hand.
const candidate = (r: Record<string, unknown>) => {
  const round = count(r.ranked_choice_voting_round)
  return {
    key: ["candidate", r.candidate_id, r.stage_id, ...(round === null ? [] : ["round", String(round)])]
      .map((part) => encodeURIComponent(String(part)))
      .join("/"),
    data: {
      candidateId: cell(r.candidate_id),
      personId: cell(r.person_id),
      name: String(r.name ?? ""),
      firstName: String(r.first_name ?? ""),
      lastName: String(r.last_name ?? ""),
      party: cell(r.party_affiliation),
      state: cell(r.state),
      office: {
        id: cell(r.office_id),
        name: cell(r.office_name),
        level: cell(r.office_level),
        branch: cell(r.office_branch)
      },
      district: {
        id: cell(r.district_id),
        name: cell(r.district_name),
        type: cell(r.district_type),
        ocdId: cell(r.district_ocdid)
      },
      race: { id: cell(r.race_id), type: cell(r.race_type), url: cell(r.race_url) },
      election: { date: cell(r.election_date), stage: cell(r.stage), stageParty: cell(r.stage_party) },
      status: String(r.candidate_status ?? ""),
      incumbent: flag(r.is_incumbent),
      writeIn: flag(r.is_write_in),
      votesFor: count(r.votes_for),
      ballotpediaUrl: cell(r.ballotpedia_url)
    }
  }
}

const baseline = async () => {
  const undici = await Bench.undici()
  const answer = await undici.request(`${url}/getQueryResults`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({ id: "1253", format })
  })
  const { data } = JSON.parse(await answer.body.text()) as { data: { url: string } }
  const file = path.join(directory, `baseline.${format}`)
  const response = await undici.request(data.url)
  await pipeline(response.body, fs.createWriteStream(file))
  const downloaded = performance.now()
  let rows = 0
  let sink = 0
  if (format === "json") {
    for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
      if (line.startsWith("{")) {
        sink += candidate(JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line)).key.length
        rows++
      }
    }
  } else {
    let columns: Array<string> | undefined
    const csv = Bench.plainCsv((cells) => {
      if (columns === undefined) {
        columns = cells
        return
      }
      const values: Record<string, string> = {}
      for (let i = 0; i < columns.length; i++) values[columns[i]!] = cells[i]!
      sink += candidate(values).key.length
      rows++
    })
    for await (const text of fs.createReadStream(file, { encoding: "utf8" })) csv.feed(text as string)
    csv.end()
  }
  if (sink === 0 && rows > 0) throw new Error("the mapping made nothing")
  return { rows, downloaded }
}

try {
  const rss = Bench.sampleRss()
  const started = performance.now()
  const { value, wallMillis, cpuMillis } = await Bench.timed(mode === "source" ? viaSource : baseline)
  const figures: Figures = {
    rows: value.rows,
    wallMillis,
    cpuMillis,
    downloadMillis: value.downloaded - started,
    peakRss: rss.stop()
  }
  process.send!(figures)
} finally {
  fs.rmSync(directory, { recursive: true, force: true })
  process.disconnect()
}
