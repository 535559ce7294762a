/**
 * What core costs over doing the same by hand, measured in one run (figures only, nothing asserted).
 * Each part warms up once before it is timed; the HTTP part then alternates the two sides for a few rounds
 * and keeps each side's best, since other work on the machine only ever adds time.
 *
 * - HTTP: sequential GETs of a 16 kB JSON body through a source's client (limiter, retry policy, status
 *   classification, timeouts, hashing, size bound) against raw undici doing the same plain work on the same
 *   requests (`request`, the body's bytes, their SHA-256 and their text, as `fetch` hands over), the server
 *   in a process of its own: CPU per request (this process's user + system time) and wall time per request;
 * - limiter: sequential requests through a client limited to 50 a second with `burst: 1`, from a cold
 *   start: the rate they were answered at, over the whole run, against the set rate;
 * - rows: a JSON array file and a CSV file streamed from disk row by row through `Decoding.jsonArrayRows`
 *   and `Decoding.csvRows`, against a plain streaming parse of the same file (a line split and
 *   `JSON.parse` of each line; a plain CSV splitter);
 * - encoding: `Feed.encode` (stable, sorted keys) against `JSON.stringify`.
 *
 * `pnpm bench [--quick]`
 */
import { fork } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { DateTime, Effect, FileSystem, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { Decoding, Feed, Http, Source } from "../src/index.ts"

const results: Array<Bench.BenchResult> = []

const utf8 = new TextDecoder()

/** The bench's server, in a process of its own; its URL. */
const server = Effect.gen(function* () {
  const child = fork(path.join(import.meta.dirname, "server.ts"), [], { stdio: "inherit" })
  yield* Effect.addFinalizer(() => Effect.sync(() => child.disconnect()))
  const { url } = yield* Effect.promise(
    () => new Promise<{ url: string }>((resolve) => child.once("message", (message) => resolve(message as never)))
  )
  return url
})

const http = Effect.gen(function* () {
  const requests = Bench.size(500, 3000)
  const url = yield* server
  const undici = yield* Effect.promise(Bench.undici)
  const client = yield* Http.makeClient({
    source: "bench",
    connector: "bench@0.0.0",
    baseUrl: url,
    // A burst as large as the rate: the limiter's bookkeeping is measured, not its pacing.
    rateLimit: { limit: 1_000_000, window: "1 second", burst: 1_000_000 }
  })
  const raw = () =>
    Bench.timed(async () => {
      for (let i = 0; i < requests; i++) {
        const response = await undici.request(`${url}/results.json`)
        // undici's body has `arrayBuffer`, which the shared `Bench.Undici` type leaves out.
        const body = response.body as unknown as { arrayBuffer(): Promise<ArrayBuffer> }
        const bytes = new Uint8Array(await body.arrayBuffer())
        createHash("sha256").update(bytes).digest("hex")
        utf8.decode(bytes)
      }
    })
  const viaCore = () =>
    Bench.timed(() =>
      Effect.runPromise(
        Effect.gen(function* () {
          for (let i = 0; i < requests; i++) yield* client.fetch(HttpClientRequest.get("/results.json"))
        })
      )
    )
  // Rounds alternate the two, and each keeps its best: other work on the machine only ever adds time.
  const best = (a: Bench.Timing, b: Bench.Timing): Bench.Timing => ({
    wallMillis: Math.min(a.wallMillis, b.wallMillis),
    cpuMillis: Math.min(a.cpuMillis, b.cpuMillis)
  })
  yield* Effect.promise(raw)
  yield* Effect.promise(viaCore)
  let baseline: Bench.Timing = { wallMillis: Infinity, cpuMillis: Infinity }
  let measured: Bench.Timing = { wallMillis: Infinity, cpuMillis: Infinity }
  for (let round = 0; round < Bench.size(3, 5); round++) {
    baseline = best(baseline, yield* Effect.promise(raw))
    measured = best(measured, yield* Effect.promise(viaCore))
  }
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

/**
 * The limiter's pace over a whole run, its start included: `rate × seconds + 1` sequential requests from a
 * cold start through a client limited to `rate` a second with `burst: 1`, and the rate they were answered
 * at, from the first answer to the last, against the set rate. A burst at the start shows as a higher
 * rate; "lower" is better because going over the rate is the failure (the target is at most 1.02).
 */
const limiter = Effect.gen(function* () {
  const url = yield* server
  const rate = 50
  const seconds = Bench.size(2, 10)
  const client = yield* Http.makeClient({
    source: "bench-limiter",
    connector: "bench@0.0.0",
    baseUrl: url,
    rateLimit: { limit: rate, window: "1 second", burst: 1 }
  })
  const requests = rate * seconds + 1
  const elapsedMillis = yield* Effect.promise(async () => {
    let first = 0
    for (let i = 0; i < requests; i++) {
      await Effect.runPromise(client.fetch(HttpClientRequest.get("/results.json")))
      if (i === 0) first = performance.now()
    }
    return performance.now() - first
  })
  results.push(
    Bench.result({
      name: `core: limiter, ${requests} requests from a cold start at ${rate}/s with burst 1, rate against the set rate`,
      unit: "requests/s",
      value: (requests - 1) / (elapsedMillis / 1000),
      baseline: rate,
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
    yield* limiter
    yield* rows
    yield* encoding
  }).pipe(Effect.scoped, Effect.provide(Source.layer))
)
Bench.record("core", results)
