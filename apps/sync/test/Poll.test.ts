import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import { cleanUp, tempDirectory } from "./support/Backends.ts"
import { start } from "./support/Cli.ts"
import { countEntities } from "./support/Peek.ts"
import { startCaSos } from "./support/Simulators.ts"

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  caSos = await startCaSos({ timeline: true })
})
afterAll(async () => {
  await caSos.close()
  await cleanUp()
})

const until = async (condition: () => boolean, what: string) => {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > 30_000) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe("electfeed poll", () => {
  it("polls on the source's cadence, a line per poll, and stops cleanly on SIGTERM", async () => {
    const dir = tempDirectory("poll")
    const config = path.join(dir, "electfeed.yaml")
    fs.writeFileSync(
      config,
      [
        "store:",
        `  url: ${path.join(dir, "feed.db")}`,
        "sources:",
        "  ca-sos:",
        "    every: 1 second",
        "    config:",
        `      baseUrl: ${caSos.sim.url}`,
        "      endpoints: [/returns/governor, /returns/ballot-measures]",
        "      rateLimit: { limit: 100, window: 1 second }"
      ].join("\n")
    )
    const poll = start(["poll", "--config", config])
    const polls = () =>
      poll
        .output()
        .stderr.split("\n")
        .filter((line) => /^ca-sos poll \d+:/.test(line))
    await until(() => polls().length >= 1, "the first poll")
    caSos.sim.step()
    await until(() => polls().length >= 3, "three polls")
    poll.child.kill("SIGTERM")
    const stopped = await poll.done
    assert.strictEqual(stopped.code, 130, stopped.stderr)
    const lines = polls()
    assert.match(lines[0]!, /^ca-sos poll 1: \d+ added/)
    assert.isTrue(
      lines.some((line) => / [1-9]\d* changed \(\d+ regressed\)/.test(line)),
      lines.join("\n")
    )
    assert.isTrue(
      lines.slice(2).some((line) => / 0 added, 0 changed/.test(line)),
      "no quiet poll"
    )
    assert.isAbove(await countEntities({ url: path.join(dir, "feed.db") }, "ca-sos"), 0)
  })
})
