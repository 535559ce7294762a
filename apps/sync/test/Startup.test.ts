/**
 * What `electfeed --help` and `electfeed sources` load: the commands' declarations and the sources, not
 * what the other commands do (the store and its drivers, the results server, the exporters, the engine),
 * and for `sources`, whose built-in catalogs send no request, not undici. How fast they start is measured
 * by `tooling/scripts/bench-startup.ts`; this pins what keeps it so.
 */
import { spawn } from "node:child_process"
import { assert, describe, it } from "@effect/vitest"
import { bin } from "./support/Cli.ts"

// Records the file of every module loaded, CommonJS ones too, and prints them to stderr at exit.
const recorder = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from "node:module"
const loaded = []
registerHooks({ load: (url, context, next) => (loaded.push(url), next(url, context)) })
process.on("exit", () => process.stderr.write("loaded " + JSON.stringify(loaded) + "\\n"))
`)}`

/** The modules that `electfeed args` loads. */
const loadedBy = (args: ReadonlyArray<string>) =>
  new Promise<ReadonlyArray<string>>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", recorder, bin, ...args], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code) => {
      const line = stderr.split("\n").find((l) => l.startsWith("loaded "))
      if (code !== 0 || line === undefined) reject(new Error(`electfeed ${args.join(" ")} exited ${code}: ${stderr}`))
      else resolve(JSON.parse(line.slice("loaded ".length)) as ReadonlyArray<string>)
    })
  })

/** What only the commands that run them need (a store's error is told apart by every command). */
const commandsWork = [
  /\/apps\/sync\/src\/(serve|export)\//,
  /\/apps\/sync\/src\/store\/(?!StoreError\.ts$)/,
  /\/apps\/sync\/src\/(Sync|Changes|Read|Demo)\.ts$/,
  /\/@effect\/sql-pg\//,
  /\/node_modules\/ws\//
]

const matching = (loaded: ReadonlyArray<string>, patterns: ReadonlyArray<RegExp>) =>
  loaded.filter((url) => patterns.some((pattern) => pattern.test(url)))

describe("electfeed's start-up", () => {
  it("--help loads the commands' declarations, not what they do", async () => {
    const loaded = await loadedBy(["--help"])
    assert.include(loaded.join("\n"), "/src/cli/Commands.ts")
    assert.deepStrictEqual(matching(loaded, commandsWork), [])
  }, 60_000)

  it("sources lists the built-in catalogs without undici", async () => {
    const loaded = await loadedBy(["sources"])
    assert.include(loaded.join("\n"), "/src/SourceList.ts")
    assert.deepStrictEqual(matching(loaded, [...commandsWork, /\/node_modules\/undici\//]), [])
  }, 60_000)
})
