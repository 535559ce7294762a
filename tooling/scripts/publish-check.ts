/**
 * Checks that every public package publishes well: `pnpm pack` yields `dist` JavaScript with types (the
 * source-first exports swapped for `publishConfig.exports`), and publint and Are the Types Wrong report no
 * errors for the tarball, and a connector's packed entry, imported from the tarballs alone, reports its
 * package's own `name@version` as `source.connector`. Run by `.ci/run` after a build.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { connectorProblem, install, type Packed } from "./packed.ts"

const root = path.resolve(import.meta.dirname, "../..")
const out = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-pack-"))
const bin = (name: string) => path.join(root, "node_modules", ".bin", name)
const run = (command: string, args: ReadonlyArray<string>, cwd = root) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

const packages = ["packages", "apps"]
  .flatMap((group) => fs.readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)))
  .filter((dir) => {
    const manifest = path.join(dir, "package.json")
    return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).private !== true
  })

const packed: Array<Packed> = []
const problems = new Map<string, Array<string>>()
const jsFiles = new Map<string, number>()
for (const dir of packages) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  const name: string = manifest.name
  const found: Array<string> = []
  problems.set(name, found)
  run("pnpm", ["pack", "--pack-destination", out], dir)
  const tarball = path.join(out, `${name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`)
  packed.push({ dir, tarball, name, version: manifest.version })
  const listing = run("tar", ["-tzf", tarball])
  jsFiles.set(name, listing.split("\n").filter((line) => line.endsWith(".js")).length)
  const packedManifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"]))
  const entries = Object.values<{ default?: string; types?: string } | string>(packedManifest.exports ?? {})
  for (const entry of entries) {
    if (typeof entry === "string") continue
    for (const file of [entry.default, entry.types]) {
      if (file === undefined || !file.startsWith("./dist/"))
        found.push(`export ${JSON.stringify(entry)} does not point into dist`)
      else if (!listing.includes(`package/${file.slice(2)}`)) found.push(`${file} is missing from the tarball`)
    }
  }
  for (const target of Object.values<string>(packedManifest.bin ?? {})) {
    if (!listing.includes(`package/${target.replace(/^\.\//, "")}`))
      found.push(`bin ${target} is missing from the tarball`)
  }
  if (JSON.stringify(packedManifest).includes("workspace:")) found.push("a workspace: protocol survived packing")
  try {
    run(bin("publint"), ["run", tarball, "--level", "error"])
  } catch (error) {
    found.push(`publint: ${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
  try {
    run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-emoji"])
  } catch (error) {
    found.push(`attw: ${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
}

const consumer = path.join(out, "consumer")
install(consumer, packed)
let failures = 0
for (const pkg of packed) {
  const found = problems.get(pkg.name) ?? []
  const problem = await connectorProblem(consumer, pkg).catch((error: unknown) => `import failed: ${String(error)}`)
  if (problem !== undefined) found.push(problem)
  if (found.length === 0) {
    console.log(`ok   ${pkg.name}@${pkg.version} (${jsFiles.get(pkg.name)} js files)`)
  } else {
    failures++
    console.log(`FAIL ${pkg.name}@${pkg.version}\n  ${found.join("\n  ")}`)
  }
}
fs.rmSync(out, { recursive: true, force: true })
if (failures > 0) {
  console.log(`${failures} package(s) would not publish cleanly`)
  process.exit(1)
}
