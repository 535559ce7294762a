/**
 * Benchmark (not a test): Candidates files of 100k, 1M and 3M rows (`--quick`: 100k), JSON and CSV,
 * read through the source (download to disk, parse, decode, map to events) against a plain baseline
 * (raw undici to disk, a plain streaming parser, the same mapping by hand; see `reader.ts`). Each read
 * runs cold in a process of its own with Node's default flags, so its CPU time and peak RSS (sampled
 * every 10 ms) are its own; the file host runs in another process and serves the files from disk.
 *
 * Figures: rows/s, CPU per row and peak RSS against the baseline's, and peak RSS at the largest size
 * against the smallest (flat memory).
 *
 * `pnpm bench [--quick]`, or `node bench/index.ts [rows…]`
 */
import { fork } from "node:child_process"
import * as path from "node:path"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import type { Figures } from "./reader.ts"

const given = process.argv.slice(2).map(Number)
const sizes = given.length > 0 ? given : Bench.size([100_000], [100_000, 1_000_000, 3_000_000])
const formats = ["json", "csv"] as const
const here = import.meta.dirname

const label = (rows: number) => (rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`)

const measure = (mode: "source" | "baseline", format: string, url: string, apiKey: string) =>
  new Promise<Figures>((resolve, reject) => {
    const child = fork(path.join(here, "reader.ts"), [mode, format, url, apiKey], { stdio: "inherit" })
    child.once("message", (figures) => resolve(figures as Figures))
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the ${mode} read exited with ${code}`))))
  })

const results: Array<Bench.BenchResult> = []
const peaks = new Map<string, Map<number, number>>()
for (const rows of sizes) {
  console.log(`writing the Candidates file of ${label(rows)} rows, JSON and CSV…`)
  const simulator = fork(path.join(here, "simulator.ts"), [String(rows)], { stdio: "inherit" })
  try {
    const sim = await new Promise<{ url: string; apiKey: string; sizes: Record<string, number> }>((resolve) =>
      simulator.once("message", (message) => resolve(message as never))
    )
    for (const format of formats) {
      const name = `ballotpedia: ${format.toUpperCase()} ingest, ${label(rows)} rows`
      const plain = await measure("baseline", format, sim.url, sim.apiKey)
      const electfeed = await measure("source", format, sim.url, sim.apiKey)
      for (const [who, f] of [
        ["baseline", plain],
        ["source", electfeed]
      ] as const) {
        console.log(
          `${name}, ${who}: ${f.rows} rows of ${(sim.sizes[format]! / 1e6).toFixed(0)} MB in ${(f.wallMillis / 1000).toFixed(1)} s ` +
            `(download ${(f.downloadMillis / 1000).toFixed(1)} s), CPU ${(f.cpuMillis / 1000).toFixed(1)} s, ` +
            `peak RSS ${(f.peakRss / 1e6).toFixed(0)} MB`
        )
      }
      if (electfeed.rows !== rows || plain.rows !== rows) {
        throw new Error(`${name}: read ${electfeed.rows} rows (baseline ${plain.rows}), expected ${rows}`)
      }
      results.push(...Bench.rowFigures(name, electfeed, plain))
      const byRows = peaks.get(format) ?? new Map<number, number>()
      byRows.set(rows, electfeed.peakRss)
      peaks.set(format, byRows)
    }
  } finally {
    simulator.disconnect()
  }
}
if (sizes.length > 1) {
  const [smallest, largest] = [Math.min(...sizes), Math.max(...sizes)]
  for (const [format, byRows] of peaks) {
    results.push(
      Bench.result({
        name: `ballotpedia: ${format.toUpperCase()} peak RSS, ${label(largest)} rows against ${label(smallest)}`,
        unit: "MB",
        value: byRows.get(largest)! / 1e6,
        baseline: byRows.get(smallest)! / 1e6,
        better: "lower"
      })
    )
  }
}
Bench.record("ballotpedia", results)
