/**
 * Connectors as plugins, through the real `electfeed` executable: a connector made by `new-connector`
 * read by its id and through a config's `use:` with no change to this app, the errors of a plugin that
 * cannot be used, `simulate`, `init`, and a clean `| head -1`.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Feed, Source } from "@electfeed/core"
import { Effect, Exit, Option, Schema, Stream } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as AppConfig from "../src/AppConfig.ts"
import * as ConfigKeys from "../src/ConfigKeys.ts"
import * as Plugins from "../src/Plugins.ts"
import { rawConfig } from "../src/Read.ts"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { bin, electfeed, start } from "./support/Cli.ts"
import { acmeCounty, caSosGovernor, sqliteConfig } from "./support/Configs.ts"
import { countEntities } from "./support/Peek.ts"
import { startCaSos } from "./support/Simulators.ts"
import { connectorWorkspace } from "./support/Workspace.ts"

// Every test starts the CLI in child processes, on a machine that may be busy.
const slow = 180_000

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  caSos = await startCaSos()
})
afterAll(async () => {
  await caSos.close()
  await cleanUp()
})

const events = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => Effect.runSync(Feed.decodeEvent(JSON.parse(line))))

const urlIn = (line: string) => /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? ""

describe("plugins", () => {
  it(
    "reads a connector made by new-connector by its id, from its simulator, and through a config's use:",
    async () => {
      const root = connectorWorkspace("acme", "Acme County results")
      const simulator = start(["simulate", "acme"], { cwd: root })
      try {
        const url = urlIn(await simulator.waitFor(/simulator serves/))
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
        assert.strictEqual(simulator.output().stdout, `${url}\n`)

        const read = await electfeed(["read", "acme", "--base-url", url], { cwd: root })
        assert.strictEqual(read.code, 0, read.stderr)
        const read1 = events(read.stdout)
        assert.isAbove(read1.length, 0)
        assert.isTrue(read1.every((event) => event.kind === "ContestResult" && event.source === "acme"))

        const help = await electfeed(["read", "@electfeed/acme", "--help"], { cwd: path.join(root, "packages") })
        assert.strictEqual(help.code, 0)
        assert.include(help.stdout, "@electfeed/acme@0.1.0")
        assert.include(help.stdout, "baseUrl: string")

        const config = sqliteConfig(root, [...acmeCounty(url), ...caSosGovernor(caSos.sim.url)])
        const sync = await electfeed(["sync", "--config", config], { cwd: tempDirectory("elsewhere") })
        assert.strictEqual(sync.code, 0, sync.stderr)
        assert.match(sync.stderr, /acme-county: [1-9]\d* added/)
        assert.match(sync.stderr, /ca-sos: [1-9]\d* added/)
        assert.isAbove(await countEntities({ url: path.join(root, "feed.db") }, "acme-county"), 0)

        const sources = await electfeed(["sources", "--config", config])
        assert.strictEqual(sources.code, 0, sources.stderr)
        const acme = sources.stdout.slice(sources.stdout.indexOf("acme-county  (@electfeed/acme@0.1.0, source acme)"))
        assert.include(acme, "stream contests: ContestResult")
        assert.include(acme, "config keys: baseUrl, rateLimit, retry")
        assert.notInclude(acme, "dataset")
      } finally {
        simulator.child.kill("SIGTERM")
        await simulator.done
      }
    },
    slow
  )

  it(
    "rejects a source that is not installed, not a source, or made by another major of core, one line each",
    async () => {
      const dir = tempDirectory("plugins")
      // A package made for a core 9: the CA SOS source, stamped as another core made it.
      const old = path.join(dir, "node_modules", "old-connector")
      fs.mkdirSync(old, { recursive: true })
      fs.writeFileSync(
        path.join(old, "package.json"),
        JSON.stringify({ name: "old-connector", type: "module", main: "index.js" })
      )
      const caSosEntry = path.resolve(import.meta.dirname, "../../../packages/ca-sos/src/index.ts")
      fs.writeFileSync(
        path.join(old, "index.js"),
        `import { source as made } from ${JSON.stringify(`file://${caSosEntry}`)}\nexport const source = { ...made, core: "9.0.0" }\n`
      )
      const config = path.join(dir, "electfeed.yaml")
      fs.writeFileSync(
        config,
        [
          "sources:",
          "  georgia: { use: '@acme/electfeed-georgia' }",
          "  effects: { use: effect }",
          "  old: { use: old-connector }",
          "  nowhere: {}"
        ].join("\n")
      )
      const run = await electfeed(["sync", "--config", config], { cwd: dir })
      assert.strictEqual(run.code, 2)
      const lines = run.stderr.trim().split("\n")
      assert.lengthOf(lines, 5, run.stderr)
      assert.match(lines[1]!, /^ {2}sources\.georgia\.use: @acme\/electfeed-georgia is not installed/)
      assert.match(lines[2]!, /^ {2}sources\.effects\.use: effect is not an electfeed source/)
      assert.match(lines[3]!, /^ {2}sources\.old\.use: old-connector was made with @electfeed\/core 9\.0\.0/)
      assert.match(lines[4]!, /^ {2}sources\.nowhere: nowhere is not installed/)
      assert.strictEqual(fs.existsSync(path.join(dir, ".electfeed")), false)

      const read = await electfeed(["read", "@acme/electfeed-georgia", "--base-url", "http://127.0.0.1:9"], {
        cwd: dir
      })
      assert.strictEqual(read.code, 2)
      assert.match(read.stderr, /^electfeed: @acme\/electfeed-georgia is not installed/)
      assert.strictEqual(read.stdout, "")
    },
    slow
  )

  it(
    "ends quietly when the reader of its output goes away: read … | head -1",
    async () => {
      const shell = spawn(
        "bash",
        [
          "-c",
          'set -o pipefail; "$0" "$1" read ca-sos --base-url "$2" | head -1',
          process.execPath,
          bin,
          caSos.sim.url
        ],
        { stdio: ["ignore", "pipe", "pipe"] }
      )
      let stdout = ""
      let stderr = ""
      shell.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
      shell.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
      const code = await new Promise<number | null>((resolve) => shell.on("close", resolve))
      assert.strictEqual(stderr, "")
      assert.strictEqual(code, 0)
      assert.lengthOf(events(stdout), 1)
    },
    slow
  )

  it(
    "simulate ca-sos serves the simulator until stopped",
    async () => {
      const simulator = start(["simulate", "ca-sos"])
      const url = urlIn(await simulator.waitFor(/simulator serves/))
      const response = await fetch(`${url}/returns/governor`)
      assert.strictEqual(response.status, 200)
      assert.strictEqual(((await response.json()) as { raceTitle?: unknown }).raceTitle, "Governor - Statewide Results")
      simulator.child.kill("SIGINT")
      const run = await simulator.done
      assert.notStrictEqual(run.signal, "SIGKILL")
      assert.notInclude(run.stderr, "unexpected failure")
      const after = await fetch(`${url}/returns/governor`).then(
        () => "served",
        () => "closed"
      )
      assert.strictEqual(after, "closed")
    },
    slow
  )

  it(
    "init writes a commented config that loads as it is, and never replaces a file",
    async () => {
      const dir = tempDirectory("init")
      const file = path.join(dir, "electfeed.yaml")
      const init = await electfeed(["init", "--output", file])
      assert.strictEqual(init.code, 0, init.stderr)
      const text = fs.readFileSync(file, "utf8")
      assert.include(text, "# Secrets come from the environment: apiKey from BALLOTPEDIA_API_KEY.")
      assert.include(text, "      # endpoints: list of string")
      const lookup: AppConfig.Lookup = (name, folder) =>
        Effect.map(Plugins.resolve(name, [folder]), (installed) => installed.source)
      const loaded = await Effect.runPromiseExit(AppConfig.load(file, lookup, { BALLOTPEDIA_API_KEY: "key" }))
      assert.isTrue(Exit.isSuccess(loaded), String(loaded))
      if (Exit.isSuccess(loaded)) {
        assert.deepStrictEqual(
          loaded.value.entries.map((entry) => entry.source.id),
          ["ca-sos", "ballotpedia"]
        )
      }
      const again = await electfeed(["init", "--output", file])
      assert.strictEqual(again.code, 2)
      assert.include(again.stderr, "exists")
      assert.strictEqual(fs.readFileSync(file, "utf8"), text)
      // `status` reads the store alone: no source loaded, no API key needed.
      const status = await electfeed(["status", "--config", file], { cwd: dir, env: { BALLOTPEDIA_API_KEY: "" } })
      assert.strictEqual(status.code, 0, status.stderr)
      assert.include(status.stdout, "Nothing stored yet")
    },
    slow
  )
})

describe("the config of an ad-hoc read", () => {
  const source = Source.make({
    id: "fake",
    connector: "fake@1.0.0",
    description: "A source with a secret, a list and a number",
    configSchema: Schema.Struct({
      apiKey: Schema.String,
      ids: Schema.optionalKey(Schema.Array(Schema.String)),
      limit: Schema.optionalKey(Schema.Finite)
    }),
    catalog: () => Effect.succeed([]),
    check: () => Effect.void,
    read: () => Stream.empty,
    secrets: { apiKey: "FAKE_KEY" }
  })
  const keys = ConfigKeys.of(source)
  const given = (set: Record<string, string>, env: Record<string, string> = { FAKE_KEY: "k" }) =>
    Effect.runSyncExit(rawConfig(source, keys, { configJson: Option.none(), set, flags: [] }, env))

  it("reads text keys as text, other keys as JSON, and a list key as one item or a JSON list", () => {
    assert.deepStrictEqual(
      keys.map((key) => [key.name, key.type, key.list, key.text]),
      [
        ["apiKey", "string", false, true],
        ["ids", "list of string", true, true],
        ["limit", "number", false, false]
      ]
    )
    assert.deepStrictEqual(given({ ids: "7", limit: "5" }), Exit.succeed({ ids: ["7"], limit: 5, apiKey: "k" }))
    assert.deepStrictEqual(given({ ids: '["7","8"]' }), Exit.succeed({ ids: ["7", "8"], apiKey: "k" }))
    assert.isTrue(Exit.isFailure(given({ limit: "five" })))
  })

  it("takes a secret from its environment variable only", () => {
    const onTheCommandLine = given({ apiKey: "k" })
    assert.isTrue(Exit.isFailure(onTheCommandLine))
    assert.include(String(onTheCommandLine), "set FAKE_KEY")
    const missing = given({}, {})
    assert.isTrue(Exit.isFailure(missing))
    assert.include(String(missing), "set the environment variable FAKE_KEY")
  })
})
