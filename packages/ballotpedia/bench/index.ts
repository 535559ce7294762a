/**
 * Benchmark (not a test): a 1,000,000-row JSON Candidates file read through the source (download to
 * disk, parse, decode, map to events), against a plain baseline (a bare `fetch` of the file to disk, then
 * a line split and `JSON.parse` of each row). Each read runs in a process of its own, so its peak RSS is
 * its own; the simulator runs in another. The source is measured twice: as the electfeed CLI runs it
 * (its shebang caps V8's young generation at 16 MB with `--max-semi-space-size=16`), and with Node's
 * defaults, under which V8 grows the young generation to 128 MB on a long run (most of the difference;
 * the baseline grows it too). Prints figures; asserts nothing.
 *
 * `pnpm bench [rows]`
 */
import { fork } from "node:child_process"
import * as path from "node:path"
import type { Figures } from "./reader.ts"

const rows = Number(process.argv[2] ?? 1_000_000)
const here = import.meta.dirname

const count = (n: number) => Math.round(n).toLocaleString("en-US")
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`
const rate = (figures: Figures) => figures.rows / (figures.millis / 1000)

const measure = (mode: "source" | "baseline", url: string, apiKey: string, execArgv: ReadonlyArray<string> = []) =>
  new Promise<Figures>((resolve, reject) => {
    const child = fork(path.join(here, "reader.ts"), [mode, url, apiKey], {
      execArgv: [...process.execArgv, ...execArgv],
      stdio: "inherit"
    })
    child.once("message", (figures) => resolve(figures as Figures))
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the ${mode} read exited with ${code}`))))
  })

console.log(`starting the simulator with ${count(rows)} rows of Candidates…`)
const simulator = fork(path.join(here, "simulator.ts"), [String(rows)], { stdio: "inherit" })
try {
  const sim = await new Promise<{ url: string; apiKey: string; size: number }>((resolve) =>
    simulator.once("message", (message) => resolve(message as never))
  )
  console.log(`file: ${count(rows)} rows of JSON, ${mb(sim.size)}`)
  const runs: Array<[string, Figures]> = []
  for (const [label, mode, flags] of [
    ["source, Node defaults", "source", []],
    ["source, as the electfeed CLI runs it", "source", ["--max-semi-space-size=16"]],
    ["baseline (fetch, split, JSON.parse)", "baseline", []]
  ] as const) {
    console.log(`measuring: ${label}…`)
    runs.push([label, await measure(mode, sim.url, sim.apiKey, flags)])
  }
  console.log()
  for (const [label, figures] of runs) {
    console.log(
      `${label.padEnd(38)} ${count(figures.rows)} rows in ${seconds(figures.millis)} ` +
        `(download ${seconds(figures.downloadMillis)}, parse ${seconds(figures.millis - figures.downloadMillis)}): ` +
        `${count(rate(figures))} rows/s; peak RSS ${mb(figures.sampledRss)} sampled, ${mb(figures.maxRss)} maxRSS`
    )
  }
  const baseline = runs[2]![1]
  for (const [label, figures] of runs.slice(0, 2)) {
    console.log(`${label}: ${(figures.millis / baseline.millis).toFixed(2)}× the baseline's time`)
  }
} finally {
  simulator.disconnect()
}
