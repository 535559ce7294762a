/**
 * Checks that every public package publishes well: `pnpm pack` yields `dist` JavaScript with types (the
 * source-first exports swapped for `publishConfig.exports`), and publint and Are the Types Wrong report no
 * errors for the tarball, every package its JavaScript imports is declared, the effect packages as peers
 * from the workspace's releases (see `peers.ts`; a bundle's files, listed in the `externals.json` that
 * `apps/sync/scripts/bundle.ts` writes beside them, import what esbuild left outside them, but the
 * optional dependencies of the bundled packages that import them), core's tarball holds the feed model of `docs/`, and a
 * connector's packed entry, imported from the tarballs alone, reports its package's own `name@version` as
 * `source.connector`. Run by `.ci/run` after a build.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { connectorProblem, install, type Packed } from "./packed.ts"
import { dependencyProblems, importedPackages } from "./peers.ts"

const root = path.resolve(import.meta.dirname, "../..")
const out = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-pack-"))
const bin = (name: string) => path.join(root, "node_modules", ".bin", name)
const run = (command: string, args: ReadonlyArray<string>, cwd = root) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"))

// Documents of the repository a package's tarball carries, as `[in the repository, in the tarball]`.
const shippedDocuments: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  "@electfeed/core": [["docs/feed-model.md", "dist/feed-model.md"]]
}

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
  if (/"(workspace|catalog):/.test(JSON.stringify(packedManifest)))
    found.push("a workspace: or catalog: protocol survived packing")
  for (const [document, shipped] of shippedDocuments[name] ?? []) {
    const text = listing.includes(`package/${shipped}`)
      ? run("tar", ["-xzOf", tarball, `package/${shipped}`])
      : undefined
    if (text !== fs.readFileSync(path.join(root, document), "utf8"))
      found.push(`${shipped} is not ${document} as it is`)
  }
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

/** What a file of a bundle imports from outside it, and the bundled module (from the bundled package) that does. */
interface External {
  readonly path: string
  readonly importer: string
}

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/")

/** Whether the package that `file` is of declares `name` optional: it imports it only if it is installed. */
const optionalFor = (file: string, name: string): boolean => {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json")
    if (!fs.existsSync(manifest)) continue
    const found = readJson(manifest)
    if (typeof found.name !== "string") continue
    return found.peerDependenciesMeta?.[name]?.optional === true || found.optionalDependencies?.[name] !== undefined
  }
  return false
}

/**
 * The packages that the JavaScript of `dist` imports. A bundle's file (listed in an `externals.json` beside
 * it, with the importers' paths relative to `dir`, where it was bundled) imports what esbuild left outside
 * it, but what the bundled package that imports it declares optional; its text is the bundled packages'
 * code, whose strings and comments look like imports. Every other file imports what its text says.
 */
const importedBy = (dist: string, dir: string): ReadonlyArray<string> => {
  const files = fs.readdirSync(dist, { recursive: true, encoding: "utf8" })
  const bundled = new Map<string, ReadonlyArray<External>>()
  for (const listing of files.filter((file) => path.basename(file) === "externals.json")) {
    const externals: Record<string, ReadonlyArray<External>> = readJson(path.join(dist, listing))
    for (const [file, imports] of Object.entries(externals))
      bundled.set(path.join(path.dirname(listing), file), imports)
  }
  return files
    .filter((file) => file.endsWith(".js"))
    .flatMap((file) => {
      const externals = bundled.get(file)
      return externals === undefined
        ? importedPackages(fs.readFileSync(path.join(dist, file), "utf8"))
        : externals
            .map((external) => ({ name: packageOf(external.path), importer: path.resolve(dir, external.importer) }))
            .filter(({ name, importer }) => !optionalFor(importer, name))
            .map(({ name }) => name)
    })
}

const consumer = path.join(out, "consumer")
install(consumer, packed)
for (const pkg of packed) {
  const unpacked = path.join(consumer, "node_modules", pkg.name)
  const imported = [...new Set(importedBy(path.join(unpacked, "dist"), pkg.dir))]
  const workspaceVersion = (dependency: string) => {
    const manifest = path.join(pkg.dir, "node_modules", dependency, "package.json")
    return fs.existsSync(manifest) ? (readJson(manifest).version as string) : undefined
  }
  problems
    .get(pkg.name)
    ?.push(...dependencyProblems(readJson(path.join(unpacked, "package.json")), imported, workspaceVersion))
}
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
