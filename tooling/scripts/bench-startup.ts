/**
 * Cold start of the `electfeed` binary (`--help`, `sources`) against `node -e 0`, each the median of
 * several runs after one warm-up run (which also fills Node's compile cache, as a first run on a machine
 * does). Run by `pnpm bench` after the packages' benchmarks.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import * as Bench from "./bench-results.ts"

const bin = path.join(Bench.root, "apps", "sync", "src", "bin.ts")
const runs = Bench.size(3, 15)

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** The median wall time of starting `args`, in milliseconds. */
const startup = (args: ReadonlyArray<string>) => {
  const once = () => {
    const started = performance.now()
    const child = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
    if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${child.status}: ${child.stderr}`)
    return performance.now() - started
  }
  once()
  return median(Array.from({ length: runs }, once))
}

const baseline = startup(["-e", "0"])
Bench.record(
  "startup",
  (["--help", "sources"] as const).map((command) =>
    Bench.result({
      name: `startup: electfeed ${command}, against node -e 0`,
      unit: "ms",
      value: startup([bin, command]),
      baseline,
      better: "lower"
    })
  )
)
