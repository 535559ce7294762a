/**
 * End to end (figures only, not a test): `electfeed sync` of a Ballotpedia Candidates dataset of 100,000
 * rows (1,000,000 without `--quick`) into a new SQLite file and, when PostgreSQL answers, a new PostgreSQL
 * database, against `electfeed read` of the same source into /dev/null (download, parse, decode, map, encode;
 * no store) in the same run: what storing adds to a whole run. Each is a process of its own (the CLI as
 * tests run it, from its sources), started after a warm-up read, the simulator in another process.
 *
 * Then the same sync again, the upstream unchanged (its file's ETag answers 304): what an unchanged poll
 * costs against a bare start of the CLI (`--help`), and what it writes. It writes nothing but its row of
 * `source_runs`, the source's last run and its outcome that `electfeed status` shows; any other table that
 * changes fails the benchmark.
 *
 * The figures are recorded as the part `sync-end-to-end` (see `tooling/scripts/bench-results.ts`).
 *
 * `pnpm bench [--quick]`, or `node bench/sync.ts` from apps/sync
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { DatabaseSync } from "node:sqlite"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { createDatabase, dropDatabase } from "../test/support/Services.ts"

const rows = Bench.size(100_000, 1_000_000)
const bin = path.resolve(import.meta.dirname, "../src/bin.ts")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-sync-bench-"))

const server = spawn(process.execPath, [path.resolve(import.meta.dirname, "ballotpediaServer.ts"), String(rows)], {
  stdio: ["ignore", "pipe", "inherit"]
})
const sim = JSON.parse(
  String((await readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value)
) as { url: string; apiKey: string }
const source = { ballotpedia: { config: { baseUrl: sim.url, datasets: ["1253"] } } }

/** Runs `electfeed args` to the end, its output discarded: its wall time in milliseconds. */
const electfeed = (args: ReadonlyArray<string>) =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(bin, args, {
      env: { ...process.env, BALLOTPEDIA_API_KEY: sim.apiKey },
      stdio: ["ignore", "ignore", "pipe"]
    })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.once("close", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`electfeed ${args[0]} exited ${code}: ${stderr}`))
    )
  })

const read = () =>
  electfeed(["read", "ballotpedia", "--config-json", JSON.stringify(source.ballotpedia.config), "--log-level", "none"])

/** Writes a config file for the store at `store`: its path. */
const configFor = (name: string, store: object) => {
  const file = path.join(dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify({ store, downloads: path.join(dir, `${name}-downloads`), sources: source }))
  return file
}

/** A digest of each table of a SQLite store but `source_runs`: what an unchanged sync must leave as it was. */
const tables = (file: string) => {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'source_runs' ORDER BY name")
      .all()
      .map((row) => String(row["name"]))
    return new Map(
      names.map((name) => {
        const hash = createHash("sha256")
        for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate()) hash.update(JSON.stringify(row))
        return [name, hash.digest("hex")] as const
      })
    )
  } finally {
    db.close()
  }
}

const results: Array<Bench.BenchResult> = []
const perSecond = (millis: number) => rows / (millis / 1000)
const label = `${rows / 1000}k rows`

/** One sync against one read, taken in turns with the read first: the figure. */
const syncAgainstRead = async (backend: string, config: string) => {
  const readMillis = await read()
  const syncMillis = await electfeed(["sync", "--config", config, "--log-level", "none"])
  console.log(
    `${backend}: sync ${(syncMillis / 1000).toFixed(1)} s, read ${(readMillis / 1000).toFixed(1)} s for ${label}`
  )
  results.push(
    Bench.result({
      name: `sync end to end, ${backend}: electfeed sync of ${label} (Ballotpedia JSON), against electfeed read of the same`,
      unit: "rows/s",
      value: perSecond(syncMillis),
      baseline: perSecond(readMillis),
      better: "higher"
    })
  )
}

try {
  await read()
  const file = path.join(dir, "store.db")
  const config = configFor("sqlite", { url: file })
  await syncAgainstRead("SQLite", config)

  const before = tables(file)
  const help = await electfeed(["--help"])
  const unchanged = await electfeed(["sync", "--config", config, "--log-level", "none"])
  const after = tables(file)
  const changed = [...before.keys()].filter((name) => before.get(name) !== after.get(name))
  if (changed.length > 0 || after.size !== before.size) {
    throw new Error(`a sync of the unchanged source wrote to ${changed.join(", ") || "new tables"}`)
  }
  console.log(
    `SQLite: unchanged sync ${unchanged.toFixed(0)} ms (--help ${help.toFixed(0)} ms); only source_runs written`
  )
  results.push(
    Bench.result({
      name: "sync end to end, SQLite: electfeed sync of an unchanged source (writes only its source_runs row), wall time against electfeed --help",
      unit: "ms",
      value: unchanged,
      baseline: help,
      better: "lower"
    })
  )

  const database = await createDatabase("electfeed_bench_sync").catch((error: unknown) => {
    console.log(`PostgreSQL not measured: ${error instanceof Error ? error.message : String(error)}`)
  })
  if (database !== undefined) {
    try {
      await syncAgainstRead("PostgreSQL", configFor("postgres", { url: database.url }))
    } finally {
      await dropDatabase(database.name)
    }
  }
} finally {
  server.kill()
  fs.rmSync(dir, { recursive: true, force: true })
}
Bench.record("sync-end-to-end", results)
