import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Feed } from "@electfeed/core"
import { Effect, Exit } from "effect"
import { afterAll, beforeAll } from "vitest"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { electfeed } from "./support/Cli.ts"
import { countEntities } from "./support/Peek.ts"
import { startBallotpedia, startCaSos } from "./support/Simulators.ts"

let caSos: Awaited<ReturnType<typeof startCaSos>>
let ballotpedia: Awaited<ReturnType<typeof startBallotpedia>>
beforeAll(async () => {
  caSos = await startCaSos()
  ballotpedia = await startBallotpedia()
})
afterAll(async () => {
  await caSos.close()
  await ballotpedia.close()
  await cleanUp()
})

const workdir = () => tempDirectory("cli")

const events = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))

const comparable = (event: Feed.FeedEvent) =>
  Feed.stableJson({ ...event, observedAt: undefined, provenance: undefined })

describe("electfeed", () => {
  it("explains itself with --help", async () => {
    const run = await electfeed(["--help"])
    assert.strictEqual(run.code, 0)
    for (const command of ["read", "sync", "poll", "status", "sources", "demo"]) assert.include(run.stdout, command)
    const read = await electfeed(["read", "ca-sos", "--help"])
    assert.include(read.stdout, "--endpoint")
    assert.include(read.stdout, "--county")
  })

  it("reads CA SOS to NDJSON on stdout, the same events from JSON and CSV", async () => {
    const args = ["read", "ca-sos", "--base-url", caSos.sim.url, "--endpoint", "/returns/governor", "--county", "lake"]
    const json = await electfeed(args)
    assert.strictEqual(json.code, 0)
    const lines = events(json.stdout)
    assert.isAbove(lines.length, 0)
    for (const line of lines) assert.strictEqual(Exit.isSuccess(Effect.runSyncExit(Feed.decodeEvent(line))), true)
    assert.isTrue(lines.every((e) => e.kind === "ContestResult"))
    assert.isTrue(
      lines.some((e) => e.data.jurisdiction.county === "Lake"),
      "no Lake County result"
    )
    const csv = await electfeed([...args, "--format", "csv"])
    assert.strictEqual(csv.code, 0)
    assert.deepStrictEqual(events(csv.stdout).map(comparable), lines.map(comparable))
  })

  it("reads contests by id through the batch query, in the order asked", async () => {
    const ids = ["13000001000059", "02000000000059", "12000002000059"]
    const run = await electfeed([
      "read",
      "ca-sos",
      "--base-url",
      caSos.sim.url,
      ...ids.flatMap((id) => ["--contest", id])
    ])
    assert.strictEqual(run.code, 0)
    assert.deepStrictEqual(
      events(run.stdout).map((e) => e.data.contestId),
      ids
    )
  })

  it("exits 2 with a readable message for a bad flag or a bad value", async () => {
    const flag = await electfeed(["read", "ca-sos", "--bogus"])
    assert.strictEqual(flag.code, 2)
    assert.include(flag.stderr + flag.stdout, "--bogus")
    const county = await electfeed(["read", "ca-sos", "--base-url", caSos.sim.url, "--county", "atlantis"])
    assert.strictEqual(county.code, 2)
    assert.include(county.stderr, "atlantis")
    assert.strictEqual(county.stdout, "")
  })

  it("exits 1 when the source fails, saying why", async () => {
    const run = await electfeed([
      "read",
      "ca-sos",
      "--base-url",
      `${caSos.sim.url}/nowhere`,
      "--endpoint",
      "/returns/governor"
    ])
    assert.strictEqual(run.code, 1)
    assert.include(run.stderr, "not found")
  })

  it("rejects a malformed config with one line per problem naming its key, and writes nothing", async () => {
    const dir = workdir()
    const config = path.join(dir, "electfeed.yaml")
    fs.writeFileSync(
      config,
      [
        "store:",
        "  url: feed.db",
        "sources:",
        "  ca-sos:",
        "    every: soon",
        "    config:",
        "      format: xml",
        "      endpont: /returns/governor"
      ].join("\n")
    )
    const run = await electfeed(["sync", "--config", config], { cwd: dir })
    assert.strictEqual(run.code, 2)
    const [header, ...problems] = run.stderr.trim().split("\n")
    assert.include(header, "electfeed.yaml is not a usable config")
    assert.lengthOf(problems, 3, run.stderr)
    assert.match(problems[0]!, /^ {2}sources\.ca-sos\.every: /)
    assert.isTrue(problems.some((line) => line.startsWith("  sources.ca-sos.config.format: ")))
    assert.isTrue(problems.some((line) => line.startsWith("  sources.ca-sos.config.endpont: ")))
    assert.strictEqual(fs.existsSync(path.join(dir, "feed.db")), false)
    const missing = await electfeed(["sync", "--config", path.join(dir, "nope.yaml")], { cwd: dir })
    assert.strictEqual(missing.code, 2)
    assert.include(missing.stderr, "does not exist")
  })

  it("syncs into SQLite, reports status, and stores nothing twice", async () => {
    const dir = workdir()
    const config = path.join(dir, "electfeed.json")
    fs.writeFileSync(
      config,
      JSON.stringify({
        store: { url: path.join(dir, "feed.db") },
        sources: {
          "ca-sos": { config: { baseUrl: caSos.sim.url, rateLimit: { limit: 1000, window: "1 second" } } }
        }
      })
    )
    const first = await electfeed(["sync", "--config", config])
    assert.strictEqual(first.code, 0)
    assert.match(first.stderr, /ca-sos: \d+ added, 0 changed/)
    const second = await electfeed(["sync", "--config", config])
    assert.strictEqual(second.code, 0)
    assert.match(second.stderr, /ca-sos: 0 added, 0 changed, \d+ unchanged/)
    const status = await electfeed(["status", "--config", config])
    assert.strictEqual(status.code, 0)
    assert.include(status.stdout, "last successful read: 20")
    assert.match(status.stdout, /entities stored: +\d+/)
    assert.include(status.stdout, "checkpoint contests")
  })

  it("lists the installed sources and their streams", async () => {
    const run = await electfeed(["sources"])
    assert.strictEqual(run.code, 0)
    assert.include(run.stdout, "ca-sos")
    assert.include(run.stdout, "stream contests: ContestResult")
    assert.include(run.stdout, "ballotpedia")
    assert.include(run.stdout, "BALLOTPEDIA_API_KEY")
  })

  it("reads Ballotpedia datasets with the key from the environment, and keeps stdout for data under JSON logs", async () => {
    const env = { BALLOTPEDIA_API_KEY: ballotpedia.sim.apiKey }
    const args = ["read", "ballotpedia", "--base-url", ballotpedia.sim.url, "--dataset", "1253"]
    const run = await electfeed([...args, "--log-format", "json", "--log-level", "debug"], { env })
    assert.strictEqual(run.code, 0, run.stderr)
    const lines = events(run.stdout)
    assert.isAbove(lines.length, 0)
    assert.isTrue(lines.every((e) => e.kind === "Candidate" && e.stream === "dataset:1253"))
    const logs = run.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
    assert.isTrue(
      logs.some((l) => l.level === "DEBUG" && String(l.message).startsWith("GET ")),
      "no debug logs"
    )
    const csv = await electfeed([...args, "--format", "csv"], { env })
    assert.deepStrictEqual(events(csv.stdout).map(comparable), lines.map(comparable))
    const keyless = await electfeed(args)
    assert.strictEqual(keyless.code, 2)
    assert.include(keyless.stderr, "BALLOTPEDIA_API_KEY")
  })

  it("runs the demo: both simulators, a short election night, a summary, and the feed in SQLite", async () => {
    const store = path.join(workdir(), "demo.db")
    const run = await electfeed(["demo", "--store", store])
    assert.strictEqual(run.code, 0, run.stderr)
    assert.include(run.stdout, "Election night summary")
    assert.match(run.stdout, /poll 2: 0 added, \d+ changed, \d+ regressed \(pre-election test data cleared\)/)
    assert.match(run.stdout, /Ballotpedia: 5000 candidates/)
    assert.match(run.stdout, /ca-sos poll 7: /)
    const stored = await countEntities({ url: store }, "ca-sos")
    assert.isAbove(stored, 100)
    assert.include(run.stdout, `${stored} contests and their history stored in ${store}`)
    assert.strictEqual(await countEntities({ url: store }, "ballotpedia"), 5037)
  })
})
