import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { connectorProblem, install, type Packed } from "../packed.ts"

// A workspace folder whose node_modules holds `effect`, as a connector's does.
const workspaceDir = path.resolve(import.meta.dirname, "../../../packages/core")

// A tarball laid out as `pnpm pack` writes one: everything under `package/`, exports into dist.
const tarball = (out: string, name: string, version: string, entry: string): Packed => {
  const staging = fs.mkdtempSync(path.join(out, "staging-"))
  fs.mkdirSync(path.join(staging, "package", "dist"), { recursive: true })
  fs.writeFileSync(
    path.join(staging, "package", "package.json"),
    JSON.stringify({
      name,
      version,
      type: "module",
      exports: { ".": { default: "./dist/index.js" } },
      dependencies: { effect: "^4.1.0" }
    })
  )
  fs.writeFileSync(path.join(staging, "package", "dist", "index.js"), entry)
  const file = path.join(out, `${path.basename(name)}-${version}.tgz`)
  execFileSync("tar", ["-czf", file, "-C", staging, "package"])
  return { dir: workspaceDir, tarball: file, name, version }
}

const fromManifest = `import { Schema } from "effect"
import pkg from "../package.json" with { type: "json" }
export const source = { connector: Schema.decodeUnknownSync(Schema.String)(pkg.name + "@" + pkg.version) }
`

describe("packed", () => {
  it("imports a packed connector with its dependencies and reports a connector that is not its own name@version", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-packed-"))
    const current = tarball(out, "@electfeed/current", "2.3.4", fromManifest)
    const stale = tarball(
      out,
      "@electfeed/stale",
      "0.2.0",
      `export const source = { connector: "@electfeed/stale@0.1.0" }\n`
    )
    const library = tarball(out, "@electfeed/library", "1.0.0", "export const value = 1\n")
    const consumer = path.join(out, "consumer")
    install(consumer, [current, stale, library])
    assert.isUndefined(await connectorProblem(consumer, current))
    assert.strictEqual(
      await connectorProblem(consumer, stale),
      'source.connector is "@electfeed/stale@0.1.0", not @electfeed/stale@0.2.0'
    )
    assert.isUndefined(await connectorProblem(consumer, library))
    fs.rmSync(out, { recursive: true, force: true })
  })
})
