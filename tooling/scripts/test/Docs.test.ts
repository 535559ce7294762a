/**
 * The documents of `docs/` hold to the code: the app guide shows its example file as it is (the file
 * App.test.ts installs and runs) and lists every entry point, the feed model is the version core's
 * `Feed` implements with core's party table, and every package README links the feed model and names
 * its package's entry points.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Party } from "@electfeed/core"
import { markedBlocks, root } from "./support/Guide.ts"

const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8")
const guide = read("docs/app-guide.md")
const feedModel = read("docs/feed-model.md")

/** The public packages: folder, name, and entry points as they are imported. */
const publicPackages = ["packages", "apps"]
  .flatMap((group) => fs.readdirSync(path.join(root, group)).map((name) => path.join(group, name)))
  .filter((dir) => fs.existsSync(path.join(root, dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(read(path.join(dir, "package.json"))) }))
  .filter(({ manifest }) => manifest.private !== true)
  .map(({ dir, manifest }) => ({
    dir,
    name: manifest.name as string,
    entries: Object.keys(manifest.exports ?? {})
      .filter((entry) => entry !== "./package.json")
      .map((entry) => `${manifest.name}${entry.slice(1)}`)
  }))

describe("docs", () => {
  it("the app guide shows its example file as it is", () => {
    const shown = markedBlocks(guide).filter((block) => block.marker === "file")
    assert.deepStrictEqual(
      shown.map((block) => block.file),
      ["docs/examples/feed.ts"]
    )
    for (const block of shown) assert.strictEqual(block.code, read(block.file), `docs/app-guide.md:${block.line}`)
  })

  it("the app guide lists every entry point of every public package", () => {
    const listed = [...guide.matchAll(/^\| `(@electfeed\/[^`]+)`/gm)].map((match) => match[1])
    assert.deepStrictEqual(listed.sort(), publicPackages.flatMap((pkg) => pkg.entries).sort())
  })

  it("each package README names its entry points and links the feed model", () => {
    for (const pkg of publicPackages) {
      const readme = read(path.join(pkg.dir, "README.md"))
      for (const entry of pkg.entries) assert.include(readme, `\`${entry}`, `${pkg.dir}/README.md names ${entry}`)
      assert.include(readme, "](../../docs/feed-model.md", `${pkg.dir}/README.md links the feed model`)
    }
    assert.include(read("tooling/connector-template/README.md"), "](../../docs/feed-model.md")
    assert.include(read("README.md"), "](docs/feed-model.md)")
    assert.include(read("README.md"), "](docs/app-guide.md)")
    assert.include(read("packages/core/README.md"), "](../../docs/app-guide.md)")
  })

  it("the feed model is the version core's Feed implements, with core's party table", () => {
    const version = /contract version (\d+\.\d+)/.exec(read("packages/core/src/Feed.ts"))?.[1]
    assert.include(feedModel, `**Contract version ${version}.**`)
    const rows = [...feedModel.matchAll(/^\| `([A-Z]+)` +\| ([^|]+?) +\| (.+?) +\|$/gm)].map((match) => ({
      code: match[1],
      name: match[2],
      words: [...match[3]!.matchAll(/`([^`]+)`/g)].map((word) => word[1])
    }))
    assert.deepStrictEqual(
      rows,
      Party.table.map((party) => ({ code: party.code, name: party.name, words: [...party.words] }))
    )
  })
})
