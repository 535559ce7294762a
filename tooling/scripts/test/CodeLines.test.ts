import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { countLines, packageLines, table } from "../code-lines.ts"

const sample = [
  "/**",
  " * A module.",
  " *",
  " * @since 0.1.0",
  " */",
  'import { Effect } from "effect"',
  "",
  "// why, not what",
  'const url = "https://example.org" // a trailing comment',
  "const quoted = '/* not a comment */'",
  "const pattern = /\\/\\/[/*]+/g",
  "const half = 10 / 2 / 5",
  "/* one */ const afterComment = 1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source as text
  "const template = `line ${url + `${'//'}`} {",
  "// still inside the template",
  "`",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source as text
  "const nested = `${{ a: 1 }.a}` // the braces close the object, then the placeholder",
  "  ",
  "/* a block",
  "",
  "   of three lines */",
  "export { afterComment, Effect, half, nested, pattern, quoted, template }",
  ""
].join("\n")

describe("code-lines", () => {
  it("counts as code only lines with code, reading strings, templates and regular expressions as code", () => {
    assert.deepStrictEqual(countLines(sample), { code: 11, comment: 9, blank: 2 })
  })

  it("counts a package's src without src/testing and prints a row per package and, with --all, per file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-code-lines-"))
    fs.mkdirSync(path.join(dir, "src", "internal"), { recursive: true })
    fs.mkdirSync(path.join(dir, "src", "testing"))
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "@electfeed/sample" }))
    fs.writeFileSync(path.join(dir, "src", "index.ts"), sample)
    fs.writeFileSync(path.join(dir, "src", "internal", "helper.ts"), "// helper\nexport const one = 1\n")
    fs.writeFileSync(path.join(dir, "src", "testing", "Simulator.ts"), "export const left = 'out'\n")
    const counted = packageLines(dir)
    assert.deepStrictEqual(
      counted.files.map((file) => file.file),
      [path.join("src", "index.ts"), path.join("src", "internal", "helper.ts")]
    )
    assert.deepStrictEqual(counted.total, { code: 12, comment: 10, blank: 2 })
    const summary = table([counted], false).split("\n")
    assert.deepStrictEqual(
      summary.map((row) => row.split(/\s+/).filter((cell) => cell !== "")),
      [
        ["files", "code", "comment", "blank"],
        ["@electfeed/sample", "2", "12", "10", "2"],
        ["total", "2", "12", "10", "2"]
      ]
    )
    assert.include(table([counted], true), path.join("src", "internal", "helper.ts"))
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
