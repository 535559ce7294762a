import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { generate, variant } from "../new-connector.ts"
import { template, workspace } from "./support/Workspace.ts"

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
  })

  it("makes a public source by default: no key, no marker, no line of the template's own", () => {
    const root = workspace()
    generate({ root, template, id: "ny-boe", name: "New York" })
    const text = allText(path.join(root, "packages", "ny-boe"))
    for (const leftover of ["apiKey", "x-api-key", "api-key", "// public", "<!--", "template: true"]) {
      assert.notInclude(text, leftover)
    }
    const config = fs.readFileSync(path.join(root, "packages", "ny-boe", "test", "Conformance.test.ts"), "utf8")
    assert.include(config, "config: (url) => ({ baseUrl: url }),")
  })

  it("with --auth api-key, wires the key through the config, the source, the simulator and the tests", () => {
    const root = workspace()
    generate({ root, template, id: "ny-boe", name: "New York", auth: "api-key" })
    const target = path.join(root, "packages", "ny-boe")
    const read = (file: string) => fs.readFileSync(path.join(target, file), "utf8")
    assert.include(read("src/Config.ts"), "  apiKey: Schema.RedactedFromValue(")
    assert.include(read("src/NyBoe.ts"), '    headers: { "x-api-key": config.apiKey },')
    assert.include(read("src/testing/Simulator.ts"), 'export const defaultApiKey = "ny-boe-simulator-key"')
    assert.include(read("test/Conformance.test.ts"), "  badCredentials: (url) =>")
    assert.notInclude(read("test/Conformance.test.ts"), "config: (url) => ({ baseUrl: url }),")
    assert.include(read("README.md"), "| `apiKey`")
    const text = allText(target)
    for (const leftover of ["api-key:", "// public", "<!--", "template: true"]) assert.notInclude(text, leftover)
  })

  it("keeps or drops each marked line for the variant asked for", () => {
    const text = [
      "a",
      "  b, // public",
      "  // api-key: c,",
      "  // api-key:",
      " * // api-key: d",
      "row <!-- api-key -->",
      "| cell <!-- api-key --> |",
      "other row <!-- public -->",
      "  e // template: the template's own",
      "note <!-- template -->"
    ].join("\n")
    assert.deepStrictEqual(variant(text, "none").split("\n"), ["a", "  b,", "other row"])
    assert.deepStrictEqual(variant(text, "api-key").split("\n"), ["a", "  c,", "", " * d", "row", "| cell |"])
  })

  it("refuses a bad id, a missing name and a package that exists", () => {
    const root = workspace()
    assert.throws(() => generate({ root, template, id: "NY BOE", name: "x" }), /lowercase words/)
    assert.throws(() => generate({ root, template, id: "ny-boe", name: " " }), /name/)
    assert.throws(() => generate({ root, template, id: "ny-boe", name: "x", auth: "oauth" as never }), /--auth/)
    generate({ root, template, id: "ny-boe", name: "New York" })
    assert.throws(() => generate({ root, template, id: "ny-boe", name: "New York" }), /already exists/)
  })
})
