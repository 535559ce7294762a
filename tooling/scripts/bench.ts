/**
 * `pnpm bench [--quick]`: every package's benchmark, one at a time (turbo, `--concurrency=1`), then the
 * cold-start benchmark, and their figures merged into `bench-results.json` at the repository root.
 * `--quick` runs each at its smallest size. The exit code is the first failure's; the figures of the
 * benchmarks that ran are written either way.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { partsDirectory, readParts, resultsFile, root } from "./bench-results.ts"

const quick = process.argv.slice(2).includes("--quick")
const env = { ...process.env, ELECTFEED_BENCH_QUICK: quick ? "1" : "0", ELECTFEED_BENCH_DIR: partsDirectory }

fs.rmSync(partsDirectory, { recursive: true, force: true })
const started = performance.now()
const run = (command: string, args: ReadonlyArray<string>) =>
  spawnSync(command, args, { cwd: root, env, stdio: "inherit" }).status ?? 1
const turbo = path.join(root, "node_modules", ".bin", "turbo")
const statuses = [
  run(turbo, ["run", "bench", "--concurrency=1", "--output-logs=full"]),
  run(process.execPath, [path.join(import.meta.dirname, "bench-startup.ts")])
]

const results = readParts().sort((a, b) => a.name.localeCompare(b.name))
fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\n${results.length} figures in ${path.relative(process.cwd(), resultsFile) || resultsFile}`)
const width = Math.max(...results.map((r) => r.name.length), 4)
for (const r of results) {
  const good = r.better === "higher" ? r.ratio >= 1 : r.ratio <= 1
  console.log(
    `${r.name.padEnd(width)}  ${String(r.value).padStart(10)} ${r.unit.padEnd(8)} baseline ${String(r.baseline).padStart(10)}  ${r.ratio.toFixed(2).padStart(6)}x${good ? "" : ` (${r.better} is better)`}`
  )
}
console.log(`in ${((performance.now() - started) / 1000).toFixed(0)} s${quick ? " (--quick)" : ""}`)
process.exitCode = statuses.find((status) => status !== 0) ?? 0
