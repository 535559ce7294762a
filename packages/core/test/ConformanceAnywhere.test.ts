/**
 * `@electfeed/core/testing` imports and runs outside vitest: plain node runs the conformance cases where
 * `vitest` and `@effect/vitest` cannot be imported, and gets each case's outcome, failures with why (a
 * case of a known gap fails when it passes).
 */
import { execFile } from "node:child_process"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"

const run = promisify(execFile)

interface Result {
  readonly all: number
  readonly outcomes: ReadonlyArray<{ readonly name: string; readonly failure?: string }>
}

describe("the conformance kit without vitest", () => {
  it("runs its cases under plain node and reports each, a failure with its case and why", async () => {
    const child = path.join(import.meta.dirname, "fixtures", "ConformanceChild.ts")
    // The child is not a worker of this run: nothing of vitest's may leak into it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")))
    const { stdout } = await run(process.execPath, [child], { env, cwd: path.dirname(child) })
    const line = stdout.split("\n").find((text) => text.startsWith("RESULT "))
    assert.isDefined(line, `no result: ${stdout}`)
    const result = JSON.parse(line!.slice("RESULT ".length)) as Result
    assert.isAbove(result.all, result.outcomes.length, "the hostile cases are among the cases")
    const failed = result.outcomes.filter((outcome) => outcome.failure !== undefined)
    assert.deepStrictEqual(
      failed.map((outcome) => outcome.name),
      [
        "check fails typed with bad credentials",
        "an auth failure is typed and never retried",
        "a read resumed from a checkpoint taken mid-read loses nothing and repeats nothing (known gap: said to be broken)",
        "an unchanged snapshot emits no new events and decodes nothing (known gap: said to be broken)"
      ]
    )
    assert.match(failed[0]!.failure!, /^check fails typed with bad credentials: check with bad credentials/)
    assert.include(failed[2]!.failure!, 'the known gap "said to be broken" is closed')
    assert.isAtLeast(result.outcomes.length - failed.length, 8)
  }, 60_000)
})
