/**
 * What core costs over doing the same by hand, measured in one run (figures only, nothing asserted).
 * Each part warms up once before it is timed.
 *
 * - HTTP: sequential GETs of a 16 kB JSON body through a source's client (limiter, retry policy, status
 *   classification, hashing, size bound) against raw undici (`request` and `body.text()`), the server in
 *   a process of its own: CPU per request (this process's user + system time) and wall time per request;
 * - rows: a JSON array file and a CSV file streamed from disk row by row through `Decoding.jsonArrayRows`
 *   and `Decoding.csvRows`, against a plain streaming parse of the same file (a line split and
 *   `JSON.parse` of each line; a plain CSV splitter);
 * - encoding: `Feed.encode` (stable, sorted keys) against `JSON.stringify`.
 *
 * `pnpm bench [--quick]`
 */
import { fork } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { DateTime, Effect, FileSystem, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { Decoding, Feed, Http, Source } from "../src/index.ts"

const results: Array<Bench.BenchResult> = []

const http = Effect.gen(function* () {
  const requests = Bench.size(500, 3000)
  const server = fork(path.join(import.meta.dirname, "server.ts"), [], { stdio: "inherit" })
  yield* Effect.addFinalizer(() => Effect.sync(() => server.disconnect()))
  const { url } = yield* Effect.promise(
    () => new Promise<{ url: string }>((resolve) => server.once("message", (message) => resolve(message as never)))
  )
  const undici = yield* Effect.promise(Bench.undici)
  const client = yield* Http.makeClient({
    source: "bench",
    connector: "bench@0.0.0",
    baseUrl: url,
    // A burst as large as the rate: the limiter's bookkeeping is measured, not its pacing.
    rateLimit: { limit: 1_000_000, window: "1 second", burst: 1_000_000 }
  })
  const raw = () =>
    Bench.warmTimed(async () => {
      for (let i = 0; i < requests; i++) await (await undici.request(`${url}/results.json`)).body.text()
    })
  const viaCore = () =>
    Bench.warmTimed(() =>
      Effect.runPromise(
        Effect.gen(function* () {
          for (let i = 0; i < requests; i++) yield* client.fetch(HttpClientRequest.get("/results.json"))
        })
      )
    )
  const baseline = yield* Effect.promise(raw)
  const measured = yield* Effect.promise(viaCore)
  const perRequest = (millis: number) => (millis * 1000) / requests
  results.push(
    Bench.result({
      name: "core: CPU per request, source client against raw undici",
      unit: "µs",
      value: perRequest(measured.cpuMillis),
      baseline: perRequest(baseline.cpuMillis),
      better: "lower"
    }),
    Bench.result({
      name: "core: wall time per request, source client against raw undici",
      unit: "µs",
      value: perRequest(measured.wallMillis),
      baseline: perRequest(baseline.wallMillis),
      better: "lower"
    })
  )
})

const rows = Effect.gen(function* () {
  const count = Bench.size(100_000, 500_000)
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-core-bench-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(directory, { recursive: true, force: true })))
  const json = path.join(directory, "rows.json")
  const csv = path.join(directory, "rows.csv")
  const row = (i: number) => ({
    id: String(i),
    name: `Candidate "${i}", Jr.`,
    party: i % 2 ? "Dem" : "Rep",
    votes: String(i * 7)
  })
  const all = Array.from({ length: count }, (_, i) => row(i))
  fs.writeFileSync(json, `[\n${all.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`)
  const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
  fs.writeFileSync(
    csv,
    `id,name,party,votes\r\n${all.map((r) => Object.values(r).map(csvField).join(",")).join("\r\n")}\r\n`
  )
  const fsService = yield* FileSystem.FileSystem
  const context = {
    client: yield* Http.makeClient({ source: "bench", connector: "bench@0.0.0", baseUrl: "http://x" }),
    url: json
  }
  const plainJson = async () => {
    let n = 0
    for await (const line of readline.createInterface({ input: fs.createReadStream(json), crlfDelay: Infinity })) {
      if (line.startsWith("{")) {
        JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line)
        n++
      }
    }
    return n
  }
  const plainCsv = async () => {
    let n = -1
    const splitter = Bench.plainCsv(() => {
      n++
    })
    for await (const text of fs.createReadStream(csv, { encoding: "utf8" })) splitter.feed(text as string)
    splitter.end()
    return n
  }
  const streamed = (read: typeof Decoding.jsonArrayRows, file: string) => () =>
    Effect.runPromise(read(fsService.stream(file), context).pipe(Stream.runCount))
  for (const [format, plain, viaCore] of [
    ["JSON", plainJson, streamed(Decoding.jsonArrayRows, json)],
    ["CSV", plainCsv, streamed(Decoding.csvRows, csv)]
  ] as const) {
    const baseline = yield* Effect.promise(() => Bench.warmTimed(plain))
    const measured = yield* Effect.promise(() => Bench.warmTimed(viaCore))
    if (measured.value !== count || baseline.value !== count) {
      return yield* Effect.die(`${format}: read ${measured.value} rows (baseline ${baseline.value}), expected ${count}`)
    }
    results.push(
      Bench.result({
        name: `core: ${format} rows streamed from disk, ${count / 1000}k rows`,
        unit: "rows/s",
        value: count / (measured.wallMillis / 1000),
        baseline: count / (baseline.wallMillis / 1000),
        better: "higher"
      })
    )
  }
})

const encoding = Effect.sync(() => {
  const count = Bench.size(20_000, 100_000)
  const events = Array.from({ length: count }, (_, i) =>
    Feed.makeEvent({
      source: "bench",
      stream: "contests",
      kind: "DatasetRow",
      key: `row/${i}`,
      observedAt: DateTime.makeUnsafe(0),
      provenance: { url: "https://x", sha256: "0".repeat(64), connector: "bench@0.0.0" },
      data: { dataset: "1", row: i, columns: { name: `Row ${i}`, party: null, votes: String(i) } }
    })
  )
  const time = (encode: (event: Feed.FeedEvent) => string) => {
    encode(events[0]!)
    for (const event of events) encode(event)
    const started = performance.now()
    for (const event of events) encode(event)
    return performance.now() - started
  }
  const baseline = time(JSON.stringify)
  const measured = time(Feed.encode)
  results.push(
    Bench.result({
      name: "core: Feed.encode against JSON.stringify",
      unit: "µs/event",
      value: (measured * 1000) / count,
      baseline: (baseline * 1000) / count,
      better: "lower"
    })
  )
})

await Effect.runPromise(
  Effect.gen(function* () {
    yield* http
    yield* rows
    yield* encoding
  }).pipe(Effect.scoped, Effect.provide(Source.layer))
)
Bench.record("core", results)
