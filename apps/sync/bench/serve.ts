/**
 * What `electfeed serve` costs, measured on loopback (figures only, not a test):
 *
 * - `/api/contests` latency over a store of 5,000 contests: pages of 100 (and of 1,000), a filtered
 *   query, and the whole results page (`/`, every contest rendered);
 * - the time from a commit to its server-sent event with 1,000 clients connected to
 *   `/api/changes/stream`: from the moment `Store.write` returns to the moment each client has read the
 *   event, over several commits.
 *
 * Runs on SQLite (whose followers look for new changes every 200 ms) and, when one answers at
 * `ELECTFEED_BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432/test), on PostgreSQL (told by
 * `NOTIFY` on commit), in a schema of its own dropped afterwards. The clients run in this process,
 * beside the server: their parsing is counted in the figures. The CPU time this process spends from a
 * commit to the last client's event is given too: wall-clock figures grow with the machine's load.
 *
 * `node bench/serve.ts [--quick]` (from apps/sync; `--quick`: 1,000 contests, 100 clients)
 */
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Feed } from "@electfeed/core"
import { Context, DateTime, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import * as Server from "../src/serve/Server.ts"
import { Store, type StoreOptions } from "../src/store/Store.ts"
import { answers } from "../test/support/Backends.ts"

const quick = process.argv.includes("--quick")
const contests = quick ? 1_000 : 5_000
const clients = quick ? 100 : 1_000
const commits = 10
const postgresUrl = process.env["ELECTFEED_BENCH_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const schema = `electfeed_bench_serve_${process.pid}`

const offices = ["Governor", "State Assembly", "State Senate", "U.S. House of Representatives", "Proposition"]

const contest = (i: number, round: number) => {
  const office = offices[i % offices.length]!
  const votes = [1000 + i * 7 + round * 13, 900 + i * 5 + round * 17, 300 + round]
  const total = votes.reduce((a, b) => a + b, 0)
  return Feed.makeEvent({
    source: "bench",
    stream: "contests",
    kind: "ContestResult",
    key: `contest/${i}`,
    observedAt: DateTime.makeUnsafe(Date.UTC(2024, 10, 6) + round * 60_000),
    provenance: { url: "https://results.example/contests", sha256: "0".repeat(64), connector: "bench@0.0.0" },
    data: {
      contestId: String(i).padStart(14, "0"),
      title: `${office} District ${i} - Districtwide Results`,
      office,
      contestKind: office === "Proposition" ? "measure" : "candidate",
      jurisdiction: { state: "CA", county: null, district: office === "Governor" ? null : String(i) },
      party: null,
      reporting: { precinctsReporting: round, precinctsTotal: 100, percent: round },
      updatedAt: null,
      selections: (office === "Proposition" ? ["Yes", "No"] : ["Ada Lovelace", "Ben Franklin", "Cy Young"]).map(
        (name, s) => ({
          name,
          party: null,
          partyCode: null,
          votes: votes[s]!,
          percent: Math.round((votes[s]! / total) * 1000) / 10,
          incumbent: null
        })
      ),
      ...(office === "Proposition" ? { measure: { number: String(i), title: `Measure ${i}` } } : {})
    }
  })
}

const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const ms = (n: number) => `${n.toFixed(1)} ms`
const summary = (samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return `p50 ${ms(quantile(sorted, 0.5))}, p95 ${ms(quantile(sorted, 0.95))}, p99 ${ms(quantile(sorted, 0.99))}, max ${ms(sorted.at(-1)!)} (${sorted.length} samples)`
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const get = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let bytes = 0
        response.on("data", (chunk: Buffer) => (bytes += chunk.length))
        response.on("end", () =>
          response.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: ${response.statusCode}`))
        )
      })
      .on("error", reject)
  })

const latency = async (url: string, times: number) => {
  await get(url)
  const samples: Array<number> = []
  let bytes = 0
  for (let i = 0; i < times; i++) {
    const started = performance.now()
    bytes = await get(url)
    samples.push(performance.now() - started)
  }
  return `${summary(samples)}, ${(bytes / 1024).toFixed(0)} kB`
}

/** A client of the change stream: connects, and tells when it has read an event with an id past a seq. */
const connect = (url: string) =>
  new Promise<{ readonly waitPast: (seq: number) => Promise<number>; readonly close: () => void }>(
    (resolve, reject) => {
      let buffer = ""
      let seen = 0
      let waiting: { seq: number; resolve: (at: number) => void } | undefined
      const request = http.get(`${url}/api/changes/stream`, { agent: false }, (response) => {
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => {
          buffer += chunk
          let end = buffer.indexOf("\n\n")
          while (end >= 0) {
            const event = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (event.startsWith("retry:")) resolve({ waitPast, close: () => request.destroy() })
            const id = /^id: (\d+)$/m.exec(event)
            if (id !== null) seen = Number(id[1])
            end = buffer.indexOf("\n\n")
          }
          if (waiting !== undefined && seen > waiting.seq) {
            waiting.resolve(performance.now())
            waiting = undefined
          }
        })
      })
      request.on("error", reject)
      const waitPast = (seq: number) =>
        new Promise<number>((done) => {
          if (seen > seq) done(performance.now())
          else waiting = { seq, resolve: done }
        })
    }
  )

class Url extends Context.Service<Url, string>()("bench/Url") {}

/** Runs the whole measurement on one backend, the server and the writer sharing one store. */
const run = async (backend: string, options: StoreOptions) => {
  const runtime = ManagedRuntime.make(
    Layer.effect(Url, Server.start({ port: 0 })).pipe(Layer.provideMerge(Store.layer(options)))
  )
  try {
    const write = (events: ReadonlyArray<Feed.FeedEvent>) =>
      runtime.runPromise(
        Effect.gen(function* () {
          const store = yield* Store
          yield* store.write("bench", { events, skipped: [], checkpoints: [] })
        })
      )
    for (let i = 0; i < contests; i += 500) {
      await write(Array.from({ length: Math.min(500, contests - i) }, (_, j) => contest(i + j, 1)))
    }
    const url = await runtime.runPromise(
      Effect.gen(function* () {
        return yield* Url
      })
    )
    const lastSeq = async () => {
      const response = await fetch(`${url}/api/status`)
      return ((await response.json()) as { lastSeq: number }).lastSeq
    }
    console.log(`\n${backend}: ${contests.toLocaleString("en-US")} contests`)
    console.log(
      `  GET /api/contests?limit=100        ${await latency(`${url}/api/contests?limit=100&offset=${contests / 2}`, 200)}`
    )
    console.log(`  GET /api/contests?limit=1000       ${await latency(`${url}/api/contests?limit=1000`, 50)}`)
    console.log(`  GET /api/contests?office=Governor  ${await latency(`${url}/api/contests?office=Governor`, 100)}`)
    console.log(`  GET / (every contest, as HTML)     ${await latency(`${url}/`, 20)}`)

    const connected: Array<Awaited<ReturnType<typeof connect>>> = []
    // Connected a hundred at a time, as a listen backlog would refuse a thousand at once.
    for (let i = 0; i < clients; i += 100) {
      connected.push(...(await Promise.all(Array.from({ length: Math.min(100, clients - i) }, () => connect(url)))))
    }
    const first: Array<number> = []
    const median: Array<number> = []
    const last: Array<number> = []
    // CPU time of this process (server and clients) from the commit to the last client's event: a
    // figure that a busy machine does not inflate as it does the wall-clock ones.
    const cpu: Array<number> = []
    for (let c = 0; c < commits; c++) {
      const before = await lastSeq()
      await write([contest(c, c + 2)])
      const committed = performance.now()
      const cpuAtCommit = process.cpuUsage()
      const arrivals = (await Promise.all(connected.map((client) => client.waitPast(before)))).map(
        (at) => at - committed
      )
      const used = process.cpuUsage(cpuAtCommit)
      cpu.push((used.user + used.system) / 1000)
      arrivals.sort((a, b) => a - b)
      first.push(arrivals[0]!)
      median.push(quantile(arrivals, 0.5))
      last.push(arrivals.at(-1)!)
      // Commits a little apart, as polls are.
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    console.log(`  commit → SSE event at ${clients} clients, over ${commits} commits:`)
    console.log(`    first client   ${summary(first)}`)
    console.log(`    median client  ${summary(median)}`)
    console.log(`    last client    ${summary(last)}`)
    console.log(`    CPU time (server and clients) per commit  ${summary(cpu)}`)
    for (const client of connected) client.close()
  } finally {
    await runtime.dispose()
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-serve-bench-"))
try {
  await run("SQLite", { url: path.join(dir, "bench.db") })
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
if (await answers(postgresUrl)) {
  try {
    await run("PostgreSQL", { url: postgresUrl, schema })
  } finally {
    await Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* PgClient.PgClient
        yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl) })), Effect.orDie)
    )
  }
} else {
  console.log(`\nPostgreSQL: skipped, nothing answers at ${new URL(postgresUrl).host}`)
}
agent.destroy()
