/**
 * Poll requests per second one runner sustains: `electfeed poll --runner` (the cluster, its store and
 * limits in PostgreSQL and Redis) polling every CA SOS endpoint family as fast as it can, against the CA
 * SOS simulator in a process of its own, beside a plain `electfeed poll` of the same source (no cluster,
 * limits in memory) in the same run. Each reads for `seconds` after a warm-up; the simulator counts the
 * requests, and the poller's CPU time comes from /proc. Most polls of election night find nothing new:
 * so do these (the simulator serves the final results), which is the poller's own cost per request
 * (conditional requests, body hashes, the store's run record), not the parsing of changed bodies.
 *
 * Needs PostgreSQL and Redis on 127.0.0.1 (ELECTFEED_TEST_PG_URL / ELECTFEED_TEST_REDIS_URL).
 *
 * `node bench/poll.ts [seconds]`
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { createDatabase, dropDatabase, freePort, redisUrl } from "../test/support/Services.ts"

const seconds = Number(process.argv[2] ?? 20)
const warmUp = 5
const bin = path.resolve(import.meta.dirname, "../src/bin.ts")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-poll-bench-"))

const server = spawn(process.execPath, [path.resolve(import.meta.dirname, "caSosServer.ts")], {
  stdio: ["pipe", "pipe", "inherit"]
})
const answers = readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]()
const next = async () => String((await answers.next()).value)
const url = await next()
const requests = async () => {
  server.stdin.write("\n")
  return Number(await next())
}

/** CPU seconds (user + system) the process has used, from /proc (Linux). */
const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const measure = async (name: string, args: ReadonlyArray<string>, config: object) => {
  const file = path.join(dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify(config))
  const child = spawn(bin, ["poll", "--config", file, ...args], { stdio: ["ignore", "ignore", "ignore"] })
  // Warm-up: from its first request on, whenever it comes (start-up is not what is measured).
  const before = await requests()
  while ((await requests()) === before) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before its first request`)
    await sleep(100)
  }
  await sleep(warmUp * 1000)
  const [requests0, cpu0, at0] = [await requests(), cpuSeconds(child.pid!), performance.now()]
  await sleep(seconds * 1000)
  const [requests1, cpu1, at1] = [await requests(), cpuSeconds(child.pid!), performance.now()]
  child.kill("SIGTERM")
  await new Promise((resolve) => child.once("close", resolve))
  const wall = (at1 - at0) / 1000
  const count = requests1 - requests0
  console.log(
    `${name}: ${(count / wall).toFixed(1)} poll requests/s, ${(((cpu1 - cpu0) / count) * 1e6).toFixed(0)} µs CPU per request (${((cpu1 - cpu0) / wall).toFixed(2)} CPU s/s, ${count} requests in ${wall.toFixed(1)} s)`
  )
}

const database = await createDatabase("electfeed_bench_poll")
try {
  const source = {
    "ca-sos": {
      every: "1 millis",
      config: { baseUrl: url, rateLimit: { limit: 100_000, window: "1 second", burst: 100 } }
    }
  }
  await measure("poll (one process)", [], { store: { url: database.url, schema: "single" }, sources: source })
  await measure("poll --runner (cluster of one)", ["--runner", `127.0.0.1:${await freePort()}`], {
    store: { url: database.url },
    rateLimit: { store: redisUrl, prefix: `electfeed-bench-${process.pid}:` },
    sources: source
  })
} finally {
  server.kill()
  await dropDatabase(database.name)
  fs.rmSync(dir, { recursive: true, force: true })
}
