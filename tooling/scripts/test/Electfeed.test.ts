/**
 * `./electfeed` runs the CLI with nothing but the CLI's own output, even where the `node` first on the
 * PATH is not the pinned one: it finds the Node that ./pnpm runs without a word.
 */
import { execFile } from "node:child_process"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { root } from "./support/Guide.ts"

const run = promisify(execFile)

describe("./electfeed", () => {
  it("prints the CLI's output alone, on stdout, with the machine's own node first on the PATH", async () => {
    // The toolchain's folders (which ./pnpm put first) taken off the PATH: `node` is the machine's own.
    const PATH = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((dir) => !dir.startsWith(path.join(root, ".toolchain")) && !dir.includes("node_modules"))
      .join(path.delimiter)
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")))
    const { stdout, stderr } = await run(path.join(root, "electfeed"), ["--version"], { env: { ...env, PATH } })
    assert.strictEqual(stderr, "")
    assert.match(stdout, /^electfeed v\d+\.\d+\.\d+\n$/)
  }, 60_000)
})
