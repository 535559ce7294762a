import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { countLines } from "../code-lines.ts"
import { authorFiles, guideFile, holdsExcerpt, markedBlocks, root } from "./support/Guide.ts"
import { template } from "./support/Workspace.ts"

const guide = fs.readFileSync(guideFile, "utf8")
const readTemplate = (file: string) => fs.readFileSync(path.join(template, file), "utf8")

describe("the guide Writing a connector", () => {
  it("shows each template file exactly as it is, the four an author edits in order", () => {
    const shown = markedBlocks(guide).filter((block) => block.marker === "file")
    for (const block of shown) {
      assert.strictEqual(block.code, readTemplate(block.file), `WRITING-A-CONNECTOR.md:${block.line} (${block.file})`)
    }
    const files = shown.map((block) => block.file)
    assert.deepStrictEqual(
      files.filter((file) => authorFiles.includes(file)),
      authorFiles
    )
  })

  it("states the code lines of the four files as ./pnpm code-lines counts them", () => {
    const lines = authorFiles.reduce((sum, file) => sum + countLines(readTemplate(file)).code, 0)
    assert.strictEqual(/(\d+) lines of code/.exec(guide)?.[1], String(lines))
  })

  it("quotes other code of the repository as it is", () => {
    const excerpts = markedBlocks(guide).filter((block) => block.marker === "excerpt")
    assert.isAbove(excerpts.length, 0)
    for (const block of excerpts) {
      const text = fs.readFileSync(path.join(root, block.file), "utf8")
      assert.isTrue(holdsExcerpt(text, block.code), `WRITING-A-CONNECTOR.md:${block.line} is not in ${block.file}`)
    }
  })

  it("edits only the files it names for an author", () => {
    const edits = markedBlocks(guide).filter((block) => block.marker === "edit")
    assert.isAbove(edits.length, 0)
    for (const block of edits) assert.include(authorFiles, block.file)
  })

  it("is what the template's README shows of the source", () => {
    const readme = path.join(template, "README.md")
    const shown = markedBlocks(fs.readFileSync(readme, "utf8")).filter((block) => block.marker === "file")
    assert.deepStrictEqual(
      shown.map((block) => block.file),
      ["src/ExampleState.ts"]
    )
    for (const block of shown) assert.strictEqual(block.code, readTemplate(block.file), `${readme}:${block.line}`)
  })
})

describe("markedBlocks", () => {
  it("reads the marked blocks, and refuses a marker without a block", () => {
    const markdown = ["<!-- file: a.ts --> <!-- template -->", "```ts", "const a = 1", "```", "text"].join("\n")
    assert.deepStrictEqual(markedBlocks(markdown), [{ marker: "file", file: "a.ts", code: "const a = 1\n", line: 1 }])
    assert.throws(() => markedBlocks("<!-- edit: a.ts -->\ntext"), /line 1/)
  })

  it("finds an excerpt at any indentation, blank lines included, and only in a row", () => {
    const text = "x\n  a: 1,\n\n  b: 2\ny\n"
    assert.isTrue(holdsExcerpt(text, "a: 1,\n\nb: 2\n"))
    assert.isFalse(holdsExcerpt(text, "a: 1,\nb: 2\n"))
  })
})
