import { assert, describe, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import { cleanUp } from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"
import { countEntities } from "./support/Peek.ts"
import { caSosPollConfig } from "./support/PollConfig.ts"
import { startCaSos } from "./support/Simulators.ts"

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  caSos = await startCaSos({ timeline: true })
})
afterAll(async () => {
  await caSos.close()
  await cleanUp()
})

const configFile = (extra: ReadonlyArray<string> = []) => caSosPollConfig("poll", caSos.sim.url, extra)

describe("electfeed poll", () => {
  it("polls on the source's cadence, a line per poll, and stops cleanly on SIGTERM", async () => {
    const { config, store } = configFile()
    const poll = start(["poll", "--config", config])
    const polls = () =>
      poll
        .output()
        .stderr.split("\n")
        .filter((line) => /^ca-sos poll \d+:/.test(line))
    await poll.waitFor(/^ca-sos poll 1:/)
    caSos.sim.step()
    await poll.waitFor(/^ca-sos poll 3:/)
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
    assert.isAbove(await countEntities({ url: store }, "ca-sos"), 0)
  })

  it("logs a read refused for a huge Retry-After, records it for status, and tries again on the next poll", async () => {
    for (const format of ["text", "json"] as const) {
      // The API's wait is refused past the source's cap, and holds its host back for the cap at most.
      const { config } = configFile(["      retry: { maxRetryAfter: 2 seconds }"])
      caSos.sim.inject({ _tag: "Status", status: 429, headers: { "retry-after": "999999" } })
      const poll = start(["poll", "--config", config, "--log-format", format])
      const refused = await poll.waitFor(/ca-sos poll 1: .*failed: ca-sos: rate limited/)
      const next = await poll.waitFor(/ca-sos poll 2: /)
      poll.child.kill("SIGINT")
      const stopped = await poll.done
      assert.strictEqual(stopped.code, 130, stopped.stderr)
      if (format === "json") {
        const entry = JSON.parse(refused)
        assert.strictEqual(entry.level, "WARN")
        assert.strictEqual(entry.annotations.errorTag, "RateLimited")
        assert.include(entry.annotations.error, "rate limited")
        assert.isUndefined(JSON.parse(next).annotations.error)
      } else {
        assert.notInclude(next, "failed")
      }
      const status = await electfeed(["status", "--config", config])
      assert.match(status.stdout, /last successful read: 20/)
      assert.match(
        status.stdout,
        /last error: +20\S+ ca-sos: rate limited by http:\/\/127\.0\.0\.1:\d+\/returns\/governor/
      )
    }
  })
})
