import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { generate } from "../new-connector.ts"

const template = path.resolve(import.meta.dirname, "../../connector-template")

const workspace = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-generator-"))
  fs.mkdirSync(path.join(root, "packages"))
  fs.mkdirSync(path.join(root, ".changeset"))
  fs.writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ files: [], references: [{ path: "packages/core" }] })
  )
  return root
}

const allText = (dir: string): string =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n")

describe("new-connector", () => {
  it("copies the template as a publishable package of the new name, registered in the build", () => {
    const root = workspace()
    const written = generate({ root, template, id: "ny-boe", name: "New York State Board of Elections" })
    const target = path.join(root, "packages", "ny-boe")
    const manifest = JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8"))
    assert.strictEqual(manifest.name, "@electfeed/ny-boe")
    assert.isUndefined(manifest.private)
    assert.strictEqual(manifest.repository.directory, "packages/ny-boe")
    assert.isTrue(fs.existsSync(path.join(target, "src", "NyBoe.ts")))
    assert.isTrue(written.includes(path.join("packages", "ny-boe", "test", "Conformance.test.ts")))
    const text = allText(target)
    for (const leftover of [
      "example-state",
      "ExampleState",
      "Example State",
      "connector-template",
      "packages/core/tsconfig"
    ]) {
      assert.notInclude(text, leftover)
    }
    assert.include(fs.readFileSync(path.join(target, "src", "NyBoe.ts"), "utf8"), 'export const id = "ny-boe"')
    assert.include(fs.readFileSync(path.join(target, "tsconfig.src.json"), "utf8"), '"../core/tsconfig.src.json"')
    const build = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"))
    assert.deepStrictEqual(build.references.at(-1), { path: "packages/ny-boe" })
    assert.include(
      fs.readFileSync(path.join(root, ".changeset", "ny-boe-initial.md"), "utf8"),
      '"@electfeed/ny-boe": minor'
    )
    fs.rmSync(root, { recursive: true, force: true })
  })

  it("refuses a bad id, a missing name and a package that exists", () => {
    const root = workspace()
    assert.throws(() => generate({ root, template, id: "NY BOE", name: "x" }), /lowercase words/)
    assert.throws(() => generate({ root, template, id: "ny-boe", name: " " }), /name/)
    generate({ root, template, id: "ny-boe", name: "New York" })
    assert.throws(() => generate({ root, template, id: "ny-boe", name: "New York" }), /already exists/)
    fs.rmSync(root, { recursive: true, force: true })
  })
})
