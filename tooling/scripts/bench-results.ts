/**
 * What every benchmark shares: its size (`quick` for `pnpm bench --quick`), measurement helpers (CPU
 * time beside wall time, RSS sampled over a run, warm-up), the raw undici that baselines use, and the
 * result file.
 *
 * A benchmark reports its figures with {@link record}: one JSON part file per benchmark in `.bench/` at
 * the repository root (or `ELECTFEED_BENCH_DIR`). `pnpm bench` (`bench.ts`) empties that folder, runs
 * every package's `bench` script, and merges the parts into `bench-results.json`. A part per benchmark,
 * written once at its end, needs no lock, and a benchmark that crashes leaves the others' figures.
 *
 * Adopting it in a new benchmark file (its package's `tsconfig.test.json` includes this file):
 *
 * ```ts
 * import * as Bench from "../../../tooling/scripts/bench-results.ts"
 * const rows = Bench.size(10_000, 1_000_000)
 * Bench.record("sync-outbox", [Bench.result({ name: "…", unit: "rows/s", value, baseline, better: "higher" })])
 * ```
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

/** One figure against its baseline, measured in the same run. */
export interface BenchResult {
  readonly name: string
  readonly unit: string
  readonly value: number
  readonly baseline: number
  /** `value / baseline`: 0.9 for rows/s at 90% of the baseline's, 3.0 for three times its time. */
  readonly ratio: number
  readonly better: "higher" | "lower"
}

/** The repository's root. */
export const root = path.resolve(import.meta.dirname, "..", "..")

/** Where part files go. */
export const partsDirectory = process.env.ELECTFEED_BENCH_DIR ?? path.join(root, ".bench")

/** The merged file `pnpm bench` writes. */
export const resultsFile = path.join(root, "bench-results.json")

/** `pnpm bench --quick`: every benchmark at its smallest size. */
export const quick = process.env.ELECTFEED_BENCH_QUICK === "1"

/** `small` under `--quick`, else `full`. */
export const size = <A>(small: A, full: A): A => (quick ? small : full)

/** A figure with its ratio. */
export const result = (figure: Omit<BenchResult, "ratio">): BenchResult => ({
  name: figure.name,
  unit: figure.unit,
  value: round(figure.value),
  baseline: round(figure.baseline),
  ratio: round(figure.value / figure.baseline),
  better: figure.better
})

const round = (n: number) => (Number.isFinite(n) ? Number(n.toPrecision(4)) : n)

/**
 * What one run of a row reader measured.
 */
export interface RowRun {
  readonly rows: number
  readonly wallMillis: number
  readonly cpuMillis: number
  readonly peakRss: number
}

/**
 * The three figures of a row reader against its baseline: rows/s, CPU per row (which depends much
 * less than wall time on what else the machine runs) and peak RSS.
 */
export const rowFigures = (name: string, value: RowRun, baseline: RowRun): Array<BenchResult> => {
  const perSecond = (run: RowRun) => run.rows / (run.wallMillis / 1000)
  const cpuPerRow = (run: RowRun) => (run.cpuMillis * 1000) / run.rows
  return [
    result({ name, unit: "rows/s", value: perSecond(value), baseline: perSecond(baseline), better: "higher" }),
    result({
      name: `${name}, CPU per row`,
      unit: "µs",
      value: cpuPerRow(value),
      baseline: cpuPerRow(baseline),
      better: "lower"
    }),
    result({
      name: `${name}, peak RSS`,
      unit: "MB",
      value: value.peakRss / 1e6,
      baseline: baseline.peakRss / 1e6,
      better: "lower"
    })
  ]
}

/** Writes a benchmark's figures as the part `name` (a plain file name), replacing an earlier one. */
export const record = (name: string, results: ReadonlyArray<BenchResult>): void => {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`a bench part name must be a plain file name, not ${name}`)
  fs.mkdirSync(partsDirectory, { recursive: true })
  const file = path.join(partsDirectory, `${name}.json`)
  // Written aside then renamed: the merge never reads half a part.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2))
  fs.renameSync(`${file}.tmp`, file)
  for (const r of results) console.log(describe(r))
}

/** A figure as one line for people. */
export const describe = (r: BenchResult): string =>
  `${r.name}: ${r.value} ${r.unit} against ${r.baseline} (${r.ratio}x, ${r.better} is better)`

const isResult = (value: unknown): value is BenchResult => {
  if (typeof value !== "object" || value === null) return false
  const r = value as Record<string, unknown>
  return (
    typeof r.name === "string" &&
    typeof r.unit === "string" &&
    typeof r.value === "number" &&
    typeof r.baseline === "number" &&
    typeof r.ratio === "number" &&
    (r.better === "higher" || r.better === "lower")
  )
}

/** Every part in `directory`, checked; a part that is not a list of results is an error naming it. */
export const readParts = (directory: string = partsDirectory): Array<BenchResult> => {
  if (!fs.existsSync(directory)) return []
  const parts = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith(".json"))
    .sort()
  return parts.flatMap((name) => {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(directory, name), "utf8"))
    if (!Array.isArray(parsed) || !parsed.every(isResult)) {
      throw new Error(`${path.join(directory, name)} is not a list of { name, unit, value, baseline, ratio, better }`)
    }
    return parsed
  })
}

/** Wall and CPU time of a run, in milliseconds. */
export interface Timing {
  readonly wallMillis: number
  readonly cpuMillis: number
}

/** Times `run`, wall clock and this process's CPU (user + system). */
export const timed = async <A>(run: () => Promise<A>): Promise<Timing & { readonly value: A }> => {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await run()
  const wallMillis = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { value, wallMillis, cpuMillis: (used.user + used.system) / 1000 }
}

/** Runs `run` once to warm up, then times it. */
export const warmTimed = async <A>(run: () => Promise<A>): Promise<Timing & { readonly value: A }> => {
  await run()
  return timed(run)
}

/** Samples this process's RSS every 10 ms until stopped; `stop` gives the highest seen, in bytes. */
export const sampleRss = (): { readonly stop: () => number } => {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 10)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage.rss())
    }
  }
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/**
 * A plain CSV splitter for baselines (quoted fields, `""`, CRLF or LF), fed text in pieces; `end` gives
 * the last record. No checks: it is what a script written by hand would do.
 */
export const plainCsv = (record: (cells: Array<string>) => void) => {
  let cells: Array<string> = []
  let field = ""
  let quoted = false
  let closing = false
  let afterCR = false
  const feed = (text: string) => {
    let from = 0
    for (let i = 0; i < text.length; i++) {
      if (quoted) {
        const quote = text.indexOf('"', i)
        if (quote === -1) break
        field += text.slice(from, quote)
        quoted = false
        closing = true
        from = quote + 1
        i = quote
        continue
      }
      const c = text.charCodeAt(i)
      if (closing) {
        closing = false
        if (c === QUOTE) {
          field += '"'
          quoted = true
          from = i + 1
          continue
        }
      }
      if (c === QUOTE) {
        quoted = true
        from = i + 1
      } else if (c === COMMA) {
        cells.push(field + text.slice(from, i))
        field = ""
        from = i + 1
      } else if (c === LF || c === CR) {
        if (!(c === LF && afterCR)) {
          cells.push(field + text.slice(from, i))
          record(cells)
          cells = []
          field = ""
        }
        from = i + 1
      }
      afterCR = c === CR
    }
    field += text.slice(from)
  }
  const end = () => {
    if (cells.length > 0 || field !== "") record([...cells, field])
  }
  return { feed, end }
}

/** The parts of raw undici that baselines use. */
export interface Undici {
  readonly request: (
    url: string,
    options?: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string }
  ) => Promise<{
    readonly statusCode: number
    readonly body: NodeJS.ReadableStream & { text(): Promise<string>; dump(): Promise<void> }
  }>
}

/** The undici that core's HTTP client runs on (`@effect/platform-node`'s), without a dependency of its own. */
export const undici = async (): Promise<Undici> => {
  const fromCore = createRequire(path.join(root, "packages", "core", "package.json"))
  const platform = createRequire(fromCore.resolve("@effect/platform-node/package.json"))
  return (await import(pathToFileURL(platform.resolve("undici")).href)) as Undici
}
