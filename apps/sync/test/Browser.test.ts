/**
 * Election night in a real browser: the CA SOS simulator's timeline, `electfeed poll --serve` in a
 * child process, and Debian's Chromium driven by playwright-core. The page shows the first results,
 * then the simulator moves on and the change arrives without a reload: the leader and percent reporting
 * update in place, and the contest's chart gains a point. Both pages pass axe-core's WCAG 2.1 AA checks.
 * Screenshots of both pages are saved under
 * `artifacts/screenshots/` (git-ignored; for CI to keep as an artifact).
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll } from "vitest"
import { cleanUp } from "./support/Backends.ts"
import { start } from "./support/Cli.ts"
import { caSosPollConfig } from "./support/PollConfig.ts"
import { startCaSos } from "./support/Simulators.ts"

/** Debian's `chromium` package (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. */
const executable = [process.env["CHROMIUM_PATH"], "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find(
  (candidate): candidate is string => candidate !== undefined && candidate !== "" && fs.existsSync(candidate)
)
const skipReason = "no Chromium found (apt-get install chromium, or set CHROMIUM_PATH to a Chromium or Chrome)"

export const screenshots = path.resolve(import.meta.dirname, "../../../artifacts/screenshots")

const governor = "02000000000059"

/** axe-core's WCAG 2.1 A and AA rules and best practices, run in the page: the violations found. */
const accessibilityViolations = async (page: Page): Promise<Array<string>> => {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") })
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] })`
  )) as { violations: Array<{ id: string; nodes: Array<{ target: Array<string> }> }> }
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)
}

describe.skipIf(executable === undefined)(
  `the results page in Chromium${executable === undefined ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let caSos: Awaited<ReturnType<typeof startCaSos>>
    let browser: Browser
    beforeAll(async () => {
      caSos = await startCaSos({ timeline: true })
      browser = await chromium.launch({
        executablePath: executable!,
        // Root in a container has no user namespaces for Chromium's sandbox.
        args: ["--no-sandbox", "--disable-dev-shm-usage"]
      })
    }, 60_000)
    afterAll(async () => {
      await browser?.close()
      await caSos?.close()
      await cleanUp()
    })

    it("shows the first results, then each change as it is counted, without a reload", {
      timeout: 240_000
    }, async () => {
      const { config } = caSosPollConfig("browser", caSos.sim.url)
      const poll = start(["poll", "--config", config, "--serve", "--port", "0"])
      try {
        const listening = await poll.waitFor(/results page at http:\/\/127\.0\.0\.1:\d+\//)
        const url = /http:\/\/127\.0\.0\.1:\d+/.exec(listening)![0]
        // The test data, its reset, and the first real count (18%).
        await poll.waitFor(/^ca-sos poll 1:/)
        caSos.sim.step()
        await poll.waitFor(/^ca-sos poll \d+: .*regressed/)
        caSos.sim.step()
        await poll.waitFor(/^ca-sos poll \d+: 0 added, [1-9]\d* changed, /)

        const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
        await page.goto(`${url}/`)
        const row = page.locator(`tr[data-key="${governor}"]`).first()
        const first = {
          leader: await row.locator(".leader .name").textContent(),
          reporting: await row.locator(".reporting").getAttribute("data-value")
        }
        assert.notStrictEqual(first.leader, "no votes yet")
        assert.strictEqual(Number(first.reporting), 18)
        await page.waitForFunction(`document.body.getAttribute("data-live") === "open"`)
        // Set on this page; a reload would lose it.
        await page.evaluate("window.notReloaded = true")

        const contest = await browser.newPage({ viewport: { width: 390, height: 844 } })
        await contest.goto(`${url}/contests/${governor}?source=ca-sos`)
        await contest.waitForFunction(`document.querySelector("#chart-canvas canvas") !== null`)
        const points = Number(await contest.locator("#chart").getAttribute("data-points"))
        assert.strictEqual(points, 3)
        await contest.waitForFunction(`document.body.getAttribute("data-live") === "open"`)

        fs.mkdirSync(screenshots, { recursive: true })
        await page.screenshot({ path: path.join(screenshots, "results-page.png"), fullPage: true })

        caSos.sim.step()
        await page.waitForFunction(
          `document.querySelector('tr[data-key="${governor}"] .reporting').getAttribute("data-value") === "47"`,
          undefined,
          { timeout: 60_000 }
        )
        assert.isTrue(await page.evaluate("window.notReloaded === true"))
        assert.include(await row.getAttribute("class"), "changed")
        assert.strictEqual(await row.locator(".reporting").textContent(), "47.0%")
        const leader = await row.locator(".leader .name").textContent()
        assert.notStrictEqual(leader, "no votes yet")
        assert.match((await row.locator(".leader .pct").textContent()) ?? "", /^\d+\.\d%$/)
        // Screen readers are told too, through the polite live region.
        await page.waitForFunction(`/^Updated: /.test(document.getElementById("live").textContent)`)

        await contest.waitForFunction(
          `document.querySelector("#chart").getAttribute("data-points") === "${points + 1}"`,
          undefined,
          { timeout: 60_000 }
        )
        assert.strictEqual(await contest.locator("#summary .reporting").textContent(), "47.0%")

        await page.screenshot({ path: path.join(screenshots, "results-page-updated.png"), fullPage: true })
        await contest.screenshot({ path: path.join(screenshots, "contest-page.png"), fullPage: true })
        // The tables and the chart have labels, headers and enough contrast (as axe-core checks them).
        assert.deepStrictEqual(await accessibilityViolations(page), [])
        assert.deepStrictEqual(await accessibilityViolations(contest), [])
        for (const file of ["results-page.png", "results-page-updated.png", "contest-page.png"]) {
          assert.isAbove(fs.statSync(path.join(screenshots, file)).size, 1000, file)
        }
      } finally {
        poll.child.kill("SIGTERM")
        await poll.done
      }
    })
  }
)
