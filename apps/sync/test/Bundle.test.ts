/**
 * The bundle of the `electfeed` executable (`scripts/bundle.ts`, what `build` makes and what is installed)
 * does what the sources do: the same help, listings, errors and exit codes, a read over HTTP with the same
 * events, a sync into SQLite, and a connector of the workspace loaded as a plugin, which gets the bundle's
 * effect and core (its config schema does not decode with another copy of effect) unless its own core is
 * of another major.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { electfeed, type Run } from "./support/Cli.ts"
import { acmeCounty, caSosGovernor, sqliteConfig } from "./support/Configs.ts"
import { startCaSos } from "./support/Simulators.ts"
import { connectorWorkspace } from "./support/Workspace.ts"

// Builds the bundle and starts the CLI in child processes, on a machine that may be busy.
const slow = 180_000

const app = path.resolve(import.meta.dirname, "..")
// Inside the package, as dist/bin is, so that the bundle finds what it leaves to node_modules (uplot's files).
const folder = path.join(app, "build", "bundle-test")
const bundle = path.join(folder, "electfeed.js")

const spawnNode = (args: ReadonlyArray<string>, cwd = process.cwd()) => {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: "pipe" })
  const output = { stdout: "", stderr: "" }
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString("utf8")))
  const done = new Promise<Run>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, ...output })))
  return { child, output, done }
}

const node = (args: ReadonlyArray<string>, cwd?: string) => spawnNode(args, cwd).done

const bundled = (args: ReadonlyArray<string>, cwd?: string) => node([bundle, ...args], cwd)

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  const built = await node([path.join(app, "scripts", "bundle.ts"), folder])
  assert.strictEqual(built.code, 0, built.stderr)
  caSos = await startCaSos()
}, slow)
afterAll(async () => {
  await caSos?.close()
  await cleanUp()
  fs.rmSync(folder, { recursive: true, force: true })
})

describe("the bundled electfeed", () => {
  it(
    "prints the help, the sources and the usage errors of the sources, with their exit codes",
    async () => {
      for (const args of [["--help"], ["sync", "--help"], ["read", "ballotpedia", "--help"], ["sources"], ["bogus"]]) {
        const [fromSources, fromBundle] = await Promise.all([electfeed(args), bundled(args)])
        assert.deepStrictEqual(fromBundle, fromSources, args.join(" "))
      }
    },
    slow
  )

  it(
    "reads a source over HTTP and syncs it into SQLite",
    async () => {
      const args = ["read", "ca-sos", "--base-url", caSos.sim.url, "--endpoint", "/returns/governor"]
      const [fromSources, fromBundle] = await Promise.all([electfeed(args), bundled(args)])
      assert.strictEqual(fromBundle.code, 0, fromBundle.stderr)
      // When each was read is all that differs.
      const events = (stdout: string) => stdout.replaceAll(/"observedAt":"[^"]*"/g, "")
      assert.isAbove(fromBundle.stdout.split("\n").length, 1)
      assert.strictEqual(events(fromBundle.stdout), events(fromSources.stdout))

      const dir = tempDirectory("bundle")
      const config = sqliteConfig(dir, caSosGovernor(caSos.sim.url))
      const sync = await bundled(["sync", "--config", config])
      assert.strictEqual(sync.code, 0, sync.stderr)
      assert.match(sync.stderr, /ca-sos: [1-9]\d* added/)
    },
    slow
  )

  it(
    "reads a connector of the workspace, which gets the bundle's effect and core, by its id and through a config's use:",
    async () => {
      const root = connectorWorkspace("acme", "Acme County results")
      const simulator = spawnNode([bundle, "simulate", "acme"], root)
      try {
        while (!simulator.output.stdout.includes("\n")) {
          const ended = await Promise.race([simulator.done, new Promise((resolve) => setTimeout(resolve, 100))])
          assert.isUndefined(ended, simulator.output.stderr)
        }
        const url = simulator.output.stdout.trim()
        const read = await bundled(["read", "acme", "--base-url", url], root)
        assert.strictEqual(read.code, 0, read.stderr)
        assert.include(read.stdout, '"source":"acme"')

        // Its config decoded by its own schema, made with the bundle's effect.
        const config = sqliteConfig(root, acmeCounty(url))
        const sync = await bundled(["sync", "--config", config], tempDirectory("elsewhere"))
        assert.strictEqual(sync.code, 0, sync.stderr)
        assert.match(sync.stderr, /acme-county: [1-9]\d* added/)
        const [fromSources, fromBundle] = await Promise.all([
          electfeed(["sources", "--config", config]),
          bundled(["sources", "--config", config])
        ])
        assert.strictEqual(fromBundle.code, 0, fromBundle.stderr)
        assert.include(fromBundle.stdout, "acme-county  (@electfeed/acme@0.1.0, source acme)")
        assert.deepStrictEqual(fromBundle, fromSources)
      } finally {
        simulator.child.kill("SIGTERM")
        await simulator.done
      }
    },
    slow
  )

  it(
    "refuses, as the sources do, a connector with a core of another major (which it leaves its own) and effect itself",
    async () => {
      const dir = tempDirectory("bundle")
      const modules = path.join(dir, "node_modules")
      // A core 9, which only says its version, and a connector stamped by it: the CA SOS source.
      const core = path.join(modules, "@electfeed", "core")
      fs.mkdirSync(core, { recursive: true })
      fs.writeFileSync(
        path.join(core, "package.json"),
        JSON.stringify({ name: "@electfeed/core", version: "9.0.0", type: "module", exports: "./index.js" })
      )
      fs.writeFileSync(path.join(core, "index.js"), 'export const Source = { coreVersion: "9.0.0" }\n')
      const connector = path.join(modules, "new-connector")
      fs.mkdirSync(connector)
      fs.writeFileSync(
        path.join(connector, "package.json"),
        JSON.stringify({ name: "new-connector", type: "module", main: "index.js" })
      )
      const caSos = pathToFileURL(path.resolve(app, "../../packages/ca-sos/src/index.ts")).href
      fs.writeFileSync(
        path.join(connector, "index.js"),
        [
          'import { Source } from "@electfeed/core"',
          `import { source as made } from ${JSON.stringify(caSos)}`,
          "export const source = { ...made, core: Source.coreVersion }"
        ].join("\n")
      )
      const config = path.join(dir, "electfeed.yaml")
      fs.writeFileSync(config, ["sources:", "  new: { use: new-connector }", "  effects: { use: effect }"].join("\n"))
      const args = ["sync", "--config", config]
      const [fromSources, fromBundle] = await Promise.all([electfeed(args, { cwd: dir }), bundled(args, dir)])
      assert.strictEqual(fromBundle.code, 2)
      assert.match(fromBundle.stderr, /new-connector was made with @electfeed\/core 9\.0\.0/)
      assert.match(fromBundle.stderr, /effect is not an electfeed source/)
      assert.deepStrictEqual(fromBundle, fromSources)
    },
    slow
  )
})
