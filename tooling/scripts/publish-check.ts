/**
 * Checks that every public package publishes well: `pnpm pack` yields `dist` JavaScript with types (the
 * source-first exports swapped for `publishConfig.exports`), and publint and Are the Types Wrong report no
 * errors for the tarball. Run by `.ci/run` after a build.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

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

let failures = 0
for (const dir of packages) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  const name: string = manifest.name
  const problems: Array<string> = []
  run("pnpm", ["pack", "--pack-destination", out], dir)
  const tarball = path.join(out, `${name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`)
  const listing = run("tar", ["-tzf", tarball])
  const packed = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"]))
  const entries = Object.values<{ default?: string; types?: string } | string>(packed.exports ?? {})
  for (const entry of entries) {
    if (typeof entry === "string") continue
    for (const file of [entry.default, entry.types]) {
      if (file === undefined || !file.startsWith("./dist/"))
        problems.push(`export ${JSON.stringify(entry)} does not point into dist`)
      else if (!listing.includes(`package/${file.slice(2)}`)) problems.push(`${file} is missing from the tarball`)
    }
  }
  for (const target of Object.values<string>(packed.bin ?? {})) {
    if (!listing.includes(`package/${target.replace(/^\.\//, "")}`))
      problems.push(`bin ${target} is missing from the tarball`)
  }
  if (JSON.stringify(packed).includes("workspace:")) problems.push("a workspace: protocol survived packing")
  try {
    run(bin("publint"), ["run", tarball, "--level", "error"])
  } catch (error) {
    problems.push(`publint: ${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
  try {
    run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-emoji"])
  } catch (error) {
    problems.push(`attw: ${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
  if (problems.length === 0) {
    console.log(
      `ok   ${name}@${manifest.version} (${listing.split("\n").filter((l) => l.endsWith(".js")).length} js files)`
    )
  } else {
    failures++
    console.log(`FAIL ${name}@${manifest.version}\n  ${problems.join("\n  ")}`)
  }
}
fs.rmSync(out, { recursive: true, force: true })
if (failures > 0) {
  console.log(`${failures} package(s) would not publish cleanly`)
  process.exit(1)
}
