/**
 * What core costs over doing the same by hand, measured in one run (figures only, nothing asserted):
 *
 * - HTTP: sequential `fetch`es of a 16 kB JSON body through a source's client (limiter, retry
 *   policy, status classification, hashing, size bound) against Node's bare `fetch`;
 * - rows: a JSON array file streamed row by row through `Decoding.jsonArrayRows` against reading it
 *   whole and `JSON.parse`;
 * - encoding: `Feed.encode` (stable, sorted keys) against `JSON.stringify`.
 *
 * `pnpm bench`
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DateTime, Effect, FileSystem, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { Decoding, Feed, Http, Source } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"

const ratio = (measured: number, baseline: number) => `${(measured / baseline).toFixed(2)}x the baseline`

const body = JSON.stringify({
  contests: Array.from({ length: 40 }, (_, i) => ({
    id: `c${i}`,
    title: `Contest ${i}`,
    votes: [i * 101, i * 97, i * 13]
  }))
}).padEnd(16_000)

const http = Effect.gen(function* () {
  const requests = 2000
  const sim = yield* Simulator.serve(() => ({ status: 200, headers: { "content-type": "application/json" }, body }))
  const client = yield* Http.makeClient({
    source: "bench",
    connector: "bench@0.0.0",
    baseUrl: sim.url,
    rateLimit: { limit: 1_000_000, window: "1 second" }
  })
  const bare = async () => {
    const started = performance.now()
    for (let i = 0; i < requests; i++) await (await fetch(`${sim.url}/results.json`)).text()
    return performance.now() - started
  }
  yield* Effect.promise(bare)
  const baseline = yield* Effect.promise(bare)
  const started = performance.now()
  for (let i = 0; i < requests; i++) yield* client.fetch(HttpClientRequest.get("/results.json"))
  const measured = performance.now() - started
  console.log(
    `http: ${requests} requests of 16 kB, bare fetch ${(baseline / requests).toFixed(3)} ms each, ` +
      `source client ${(measured / requests).toFixed(3)} ms each (${ratio(measured, baseline)})`
  )
})

const rows = Effect.gen(function* () {
  const count = 200_000
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-core-bench-")), "rows.json")
  const row = (i: number) =>
    JSON.stringify({ id: String(i), name: `Candidate "${i}", Jr.`, party: i % 2 ? "Dem" : "Rep", votes: String(i * 7) })
  fs.writeFileSync(file, `[${Array.from({ length: count }, (_, i) => row(i)).join(",\n")}]`)
  const parseWhole = () => {
    const started = performance.now()
    ;(JSON.parse(fs.readFileSync(file, "utf8")) as Array<unknown>).length
    return performance.now() - started
  }
  parseWhole()
  const baseline = parseWhole()
  const fsService = yield* FileSystem.FileSystem
  const context = {
    client: yield* Http.makeClient({ source: "bench", connector: "bench@0.0.0", baseUrl: "http://x" }),
    url: file
  }
  const started = performance.now()
  const read = yield* Decoding.jsonArrayRows(fsService.stream(file), context).pipe(Stream.runCount)
  const measured = performance.now() - started
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
  console.log(
    `rows: ${read} rows of JSON, whole-file JSON.parse ${Math.round(count / (baseline / 1000)).toLocaleString("en-US")} rows/s, ` +
      `streamed ${Math.round(count / (measured / 1000)).toLocaleString("en-US")} rows/s (${ratio(measured, baseline)}, in bounded memory)`
  )
})

const encoding = Effect.sync(() => {
  const count = 100_000
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
    const started = performance.now()
    for (const event of events) encode(event)
    return performance.now() - started
  }
  time(JSON.stringify)
  const baseline = time(JSON.stringify)
  const measured = time(Feed.encode)
  console.log(
    `encoding: ${count.toLocaleString("en-US")} events, JSON.stringify ${baseline.toFixed(0)} ms, ` +
      `Feed.encode ${measured.toFixed(0)} ms (${ratio(measured, baseline)})`
  )
})

await Effect.runPromise(
  Effect.gen(function* () {
    yield* http
    yield* rows
    yield* encoding
  }).pipe(Effect.scoped, Effect.provide(Source.layer))
)
