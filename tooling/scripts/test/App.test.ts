/**
 * The packages in an app of someone else's: the public packages packed, installed with plain npm into a
 * new app together with the oldest `effect` and `@effect/platform-node` their peer ranges admit, the app
 * guide's example (`docs/examples/feed.ts`) type-checked with tsc (strict, nodenext) and run against both
 * connectors' simulators, started by the app from the packed `testing` entries. Skipped, saying why, only
 * when the npm registry cannot be reached. npm keeps its downloads in its own cache, and `--prefer-offline`
 * uses them without asking the registry again.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { onTestFinished } from "vitest"

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, "../../..")
const example = path.join(root, "docs", "examples", "feed.ts")
const packages = ["core", "ca-sos", "ballotpedia"].map((name) => path.join(root, "packages", name))
// Children are apps of their own, not workers of this run.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")))

/** Why the npm registry cannot be reached, or `undefined` when it can. */
const unreachable = async (): Promise<string | undefined> => {
  const registry = (await run("npm", ["config", "get", "registry"], { env })).stdout.trim()
  return run("npm", ["ping", "--registry", registry], { env, timeout: 20_000 }).then(
    () => undefined,
    (error: { readonly killed?: boolean; readonly stderr?: string; readonly message: string }) =>
      `the npm registry ${registry} cannot be reached: ${
        error.killed === true
          ? "no answer to npm ping within 20 s"
          : ((error.stderr ?? "").split("\n").find((line) => /error/i.test(line)) ?? error.message)
      }`
  )
}

/** The oldest release a caret range `^X.Y.Z` admits. */
const floorOf = (range: string): string => {
  const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1]
  if (floor === undefined) throw new Error(`not a caret range: ${range}`)
  return floor
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"))

/** Packs the package at `dir` into `out`, and gives the tarball's path and its manifest. */
const pack = async (dir: string, out: string) => {
  const manifest = readJson(path.join(dir, "package.json"))
  if (!fs.existsSync(path.join(dir, "dist"))) throw new Error(`${manifest.name} is not built: run ./pnpm build`)
  await run("pnpm", ["pack", "--pack-destination", out], { cwd: dir, env })
  const tarball = path.join(out, `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`)
  const packed = JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"])).stdout)
  return { tarball, manifest: packed as { readonly name: string; readonly peerDependencies?: Record<string, string> } }
}

/** Starts `file` with node in `cwd` and waits for its first line on stdout. */
const start = (file: string, cwd: string) =>
  new Promise<{ readonly child: ChildProcess; readonly line: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stderr.on("data", (data: Buffer) => {
      err += data
    })
    child.stdout.on("data", (data: Buffer) => {
      out += data
      const end = out.indexOf("\n")
      if (end !== -1) resolve({ child, line: out.slice(0, end) })
    })
    child.on("exit", (code) => reject(new Error(`${file} exited (${code}) before it was ready: ${err}`)))
  })

describe("an app of someone else's", () => {
  it("installs the packed packages with npm, type-checks the guide's app and runs it against both simulators", async (context) => {
    const reason = await unreachable()
    if (reason !== undefined) {
      console.log(`skipped: ${reason}`)
      return context.skip(reason)
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-app-"))
    // An app's node_modules is thousands of files: removing them may take longer than a hook's default.
    onTestFinished(() => fs.promises.rm(out, { recursive: true, force: true }), 120_000)
    const packed = await Promise.all(packages.map((dir) => pack(dir, out)))

    // The app's effect packages: the oldest releases the packages' peer ranges admit.
    const peers = new Map<string, string>()
    for (const { manifest } of packed) {
      for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
        if (!name.includes("vitest")) peers.set(name, floorOf(range))
      }
    }
    assert.deepStrictEqual([...peers.keys()].sort(), ["@effect/platform-node", "effect"])
    const app = path.join(out, "app")
    fs.mkdirSync(app)
    fs.writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({
        name: "an-app",
        private: true,
        type: "module",
        dependencies: {
          ...Object.fromEntries(packed.map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`])),
          ...Object.fromEntries(peers)
        },
        devDependencies: { "@types/node": readJson(path.join(root, "node_modules/@types/node/package.json")).version }
      })
    )
    fs.writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2024",
          types: ["node"],
          noEmit: true,
          skipLibCheck: true,
          erasableSyntaxOnly: true,
          verbatimModuleSyntax: true
        }
      })
    )
    fs.copyFileSync(example, path.join(app, "feed.ts"))
    fs.copyFileSync(path.join(import.meta.dirname, "app", "simulators.ts"), path.join(app, "simulators.ts"))
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: app, env })

    const listed = (await run("npm", ["ls", ...peers.keys(), "--all", "--parseable"], { cwd: app, env })).stdout
    for (const [name, version] of peers) {
      const copy = path.join(fs.realpathSync(app), "node_modules", name)
      const copies = new Set(
        listed.split("\n").filter((line) => line.endsWith(`${path.sep}node_modules${path.sep}${name}`))
      )
      assert.deepStrictEqual([...copies], [copy], `one copy of ${name}`)
      assert.strictEqual(readJson(path.join(copy, "package.json")).version, version)
    }

    await run(path.join(root, "node_modules", ".bin", "tsc"), ["-p", app], { cwd: app, env }).catch(
      (error: { readonly stdout?: string }) => assert.fail(`tsc: ${error.stdout}`)
    )
    // The runner-agnostic test kit imports where vitest is not installed.
    assert.isFalse(fs.existsSync(path.join(app, "node_modules", "vitest")))
    await run(process.execPath, ["--input-type=module", "-e", 'await import("@electfeed/core/testing")'], {
      cwd: app,
      env
    })

    const simulators = await start("simulators.ts", app)
    onTestFinished(() => {
      simulators.child.kill("SIGINT")
    })
    const urls = JSON.parse(simulators.line) as { caSos: string; ballotpedia: string; apiKey: string }
    const { stdout, stderr } = await run(process.execPath, ["feed.ts"], {
      cwd: app,
      env: {
        ...env,
        CA_SOS_URL: urls.caSos,
        BALLOTPEDIA_URL: urls.ballotpedia,
        BALLOTPEDIA_API_KEY: urls.apiKey,
        DOWNLOADS: path.join(out, "downloads")
      },
      maxBuffer: 64 * 1024 * 1024
    })
    assert.strictEqual(stderr, "", "the app wrote to stderr")
    const events = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { readonly source: string; readonly kind: string })
    assert.deepStrictEqual([...new Set(events.map((event) => event.kind))].sort(), [
      "Candidate",
      "ContestResult",
      "DatasetRow",
      "Endorsement"
    ])
    assert.deepStrictEqual([...new Set(events.map((event) => event.source))].sort(), ["ballotpedia", "ca-sos"])
    assert.isTrue(fs.existsSync(path.join(out, "downloads")), "the bulk files went to DOWNLOADS")
  }, 300_000) // a bound for a hang on a shared machine; it takes about 35 s of CPU
})
