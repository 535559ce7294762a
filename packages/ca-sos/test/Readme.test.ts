import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"

const read = (file: string) => fs.readFileSync(path.resolve(import.meta.dirname, "..", file), "utf8")

describe("README", () => {
  it("shows the source's definition as it is in src/CaSos.ts", () => {
    const readme = read("README.md")
    const marker = "<!-- excerpt: packages/ca-sos/src/CaSos.ts -->\n```ts\n"
    const start = readme.indexOf(marker)
    assert.isAbove(start, -1, "the README marks its excerpt")
    const code = readme.slice(start + marker.length, readme.indexOf("\n```", start + marker.length))
    assert.include(read("src/CaSos.ts"), code)
  })
})
