/**
 * Cold start of the `electfeed` binary (`--help`, `sources`) against `node -e 0`, each the median of
 * several runs after one warm-up run (which also fills Node's compile cache, as a first run on a machine
 * does), the three taken in turns. Run by `pnpm bench` after the packages' benchmarks.
 *
 * What is measured is the binary that is installed: the bundle `apps/sync/dist/bin/electfeed.js`, built
 * afresh here from the current sources (`apps/sync/scripts/bundle.ts`, as `build` does), run with the
 * node flags of its first line, as its bin runs.
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Bench from "./bench-results.ts"

const app = path.join(Bench.root, "apps", "sync")
execFileSync(process.execPath, [path.join(app, "scripts", "bundle.ts")], { stdio: "inherit" })
const bin = path.join(app, "dist", "bin", "electfeed.js")
const flags = (/^#!.*env -S node(.*)$/m.exec(fs.readFileSync(bin, "utf8").split("\n")[0]!)?.[1] ?? "")
  .split(" ")
  .filter((flag) => flag !== "")
const runs = Bench.size(7, 21)

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** The wall time of starting `args` once, in milliseconds. */
const once = (args: ReadonlyArray<string>) => {
  const started = performance.now()
  const child = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${child.status}: ${child.stderr}`)
  return performance.now() - started
}

const commands = { baseline: ["-e", "0"], "--help": [...flags, bin, "--help"], sources: [...flags, bin, "sources"] }
const times = Object.fromEntries(Object.keys(commands).map((name) => [name, [] as Array<number>]))
for (const args of Object.values(commands)) once(args)
// Taken in turns, so that what else the machine does weighs on the baseline as on the binary.
for (let run = 0; run < runs; run++) {
  for (const [name, args] of Object.entries(commands)) times[name]!.push(once(args))
}

const baseline = median(times["baseline"]!)
Bench.record(
  "startup",
  (["--help", "sources"] as const).map((command) =>
    Bench.result({
      name: `startup: electfeed ${command}, against node -e 0`,
      unit: "ms",
      value: median(times[command]!),
      baseline,
      better: "lower"
    })
  )
)
