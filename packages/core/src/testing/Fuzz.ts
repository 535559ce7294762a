/**
 * A small fuzzer for decoders. A {@link Target} takes a body and decodes it the way a connector does; the
 * fuzzer feeds it bodies made from its seeds by seeded mutations (of bytes, and of JSON or CSV structure) and counts what
 * each did: `ok`, a `typed` error (a `SourceError`), a `defect` (a die, a thrown exception, or an error
 * that is not a `SourceError`) or a `hang` (a body that took longer than 2 s, by default).
 *
 * {@link run} fuzzes in this process, for tests. {@link main} fuzzes in worker threads with a watchdog,
 * for `pnpm fuzz`: a body stuck in a synchronous loop cannot be stopped from inside its own thread, but
 * its worker can be terminated. Body `n` of a target is the same for the same seed, so a failure
 * reproduces from the seed and the number printed.
 *
 * @since 0.1.0
 */
import { randomInt } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import { Cause, Effect, Exit, References } from "effect"
import { isSourceError, type SourceError } from "../SourceError.ts"
import { mutate, random, seedOf } from "./internal/mutators.ts"

/**
 * What a target's bodies are, for the structure mutators: JSON, CSV, or bytes alone.
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "json" | "csv" | "bytes"

/**
 * A decoder to fuzz: its seed bodies and how it reads a body. It must end every body in success or a
 * `SourceError`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly name: string
  readonly format: Format
  readonly seeds: ReadonlyArray<Uint8Array>
  readonly run: (body: Uint8Array) => Effect.Effect<unknown, SourceError>
}

/**
 * What one body did.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = "ok" | "typed" | "defect" | "hang"

/**
 * A body that broke the contract: its number, and what happened.
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly index: number
  readonly outcome: "defect" | "hang"
  readonly detail: string
}

/**
 * The counts of a run of one target.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly target: string
  readonly seed: number
  readonly bodies: number
  readonly ok: number
  readonly typed: number
  readonly defects: number
  readonly hangs: number
  readonly millis: number
  readonly failures: ReadonlyArray<Failure>
}

// The longest a body may take before it counts as a hang.
const hangMillis = 2000

/**
 * Body number `index` of `target` in the run of `seed`.
 *
 * @since 0.1.0
 * @category bodies
 */
export const body = (target: Target, seed: number, index: number): Uint8Array =>
  mutate(target.seeds, target.format, random(seedOf(seed, target.name, index)))

// A timer of the process, not of the Clock service, so that a test's TestClock cannot hold it back.
const realTimeout = (millis: number) =>
  Effect.callback<"hang">((resume) => {
    const timer = setTimeout(() => resume(Effect.succeed("hang")), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

const describeFailure = (cause: Cause.Cause<unknown>): string => Cause.pretty(cause).split("\n").slice(0, 6).join("\n")

/**
 * Feeds one body to a target and tells what it did. An asynchronous hang is cut at `limit`; a body that
 * took longer, in any way, is a hang too.
 *
 * @since 0.1.0
 * @category running
 */
export const attempt = (
  target: Target,
  input: Uint8Array,
  limit: number = hangMillis
): Effect.Effect<{ readonly outcome: Outcome; readonly detail: string }> =>
  Effect.suspend(() => {
    const started = performance.now()
    // What a target logs (a skipped row, say) is not the fuzzer's business: its outcome is.
    const decoded = Effect.suspend(() => target.run(input)).pipe(
      Effect.provideService(References.MinimumLogLevel, "None"),
      Effect.exit
    )
    return Effect.raceFirst(decoded, realTimeout(limit)).pipe(
      Effect.map((exit) => {
        if (exit === "hang" || performance.now() - started > limit) {
          return { outcome: "hang", detail: `took longer than ${limit} ms` } as const
        }
        if (Exit.isSuccess(exit)) return { outcome: "ok", detail: "" } as const
        const error = exit.cause.reasons.find(Cause.isFailReason)?.error
        return error !== undefined && isSourceError(error) && !exit.cause.reasons.some(Cause.isDieReason)
          ? ({ outcome: "typed", detail: error._tag } as const)
          : ({ outcome: "defect", detail: describeFailure(exit.cause) } as const)
      })
    )
  })

// Counts outcomes as they come, into a report.
const tally = (target: string, seed: number) => {
  const counts = { ok: 0, typed: 0, defect: 0, hang: 0 }
  const failures: Array<Failure> = []
  let started: number | undefined
  return {
    /** Starts the clock of bodies per second, if it has not started yet. */
    begin: () => {
      started ??= performance.now()
    },
    add: (index: number, outcome: Outcome, detail: string) => {
      counts[outcome]++
      if (outcome === "defect" || outcome === "hang") failures.push({ index, outcome, detail })
    },
    report: (): Report => ({
      target,
      seed,
      bodies: counts.ok + counts.typed + counts.defect + counts.hang,
      ok: counts.ok,
      typed: counts.typed,
      defects: counts.defect,
      hangs: counts.hang,
      millis: started === undefined ? 0 : performance.now() - started,
      failures
    })
  }
}

/**
 * Fuzzes `target` in this process with bodies `first` (default 0) to `first + bodies - 1` of the run of
 * `seed`. A body stuck in a synchronous loop holds the process: use {@link main} where that can happen.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  target: Target,
  options: {
    readonly bodies: number
    readonly seed: number
    readonly first?: number | undefined
    readonly hangMillis?: number | undefined
  }
): Effect.Effect<Report> =>
  Effect.gen(function* () {
    const counts = tally(target.name, options.seed)
    counts.begin()
    const first = options.first ?? 0
    for (let index = first; index < first + options.bodies; index++) {
      const { outcome, detail } = yield* attempt(target, body(target, options.seed, index), options.hangMillis)
      counts.add(index, outcome, detail)
    }
    return counts.report()
  })

// A report as one line: bodies, ok, typed errors, defects, hangs and bodies per second.
const formatReport = (report: Report): string =>
  `${report.target.padEnd(28)} ${String(report.bodies).padStart(7)} bodies ${String(report.ok).padStart(7)} ok ` +
  `${String(report.typed).padStart(7)} typed ${String(report.defects).padStart(4)} defects ` +
  `${String(report.hangs).padStart(4)} hangs ${Math.round(report.bodies / Math.max(report.millis / 1000, 0.001))
    .toString()
    .padStart(7)} bodies/s`

/**
 * What a fuzzing worker tells the main thread.
 *
 * @since 0.1.0
 * @category workers
 */
export type WorkerMessage =
  | { readonly _tag: "Ready" }
  | { readonly _tag: "Done"; readonly index: number; readonly outcome: Outcome; readonly detail: string }

/**
 * What a fuzzing worker is started with.
 *
 * @since 0.1.0
 * @category workers
 */
export interface WorkerData {
  /** The URL of the module whose `targets` export holds the target. */
  readonly module: string
  readonly target: string
  readonly seed: number
  readonly first: number
  readonly end: number
  readonly hangMillis: number
}

// The worker's file, beside this one, as source or as build output.
const workerFile = new URL(import.meta.url.endsWith(".ts") ? "./FuzzWorker.ts" : "./FuzzWorker.js", import.meta.url)

/**
 * Fuzzes one target of `module` in worker threads: bodies `first` to `end - 1` of the run of `seed`. A
 * watchdog terminates a worker whose body takes longer than `hangMillis` and runs that body again in a new
 * worker (a hang when it overruns again), counts a worker that dies as a defect, and goes on with the
 * next body in a new worker.
 *
 * @since 0.1.0
 * @category workers
 */
export const runInWorkers = (
  module: string,
  target: string,
  options: { readonly seed: number; readonly first: number; readonly end: number; readonly hangMillis: number }
): Promise<Report> =>
  new Promise((resolve) => {
    const counts = tally(target, options.seed)
    let next = options.first
    let generation = 0
    let worker: Worker | undefined
    let since: number | undefined
    const finish = () => {
      clearInterval(watchdog)
      void worker?.terminate()
      resolve(counts.report())
    }
    // The body `next` ended the worker: count it, and go on after it.
    const lost = (outcome: "defect" | "hang", detail: string) => {
      void worker?.terminate()
      counts.add(next, outcome, detail)
      next++
      if (next >= options.end) finish()
      else start()
    }
    const start = () => {
      const mine = ++generation
      since = undefined
      const data: WorkerData = { module, target, ...options, first: next }
      worker = new Worker(workerFile, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 4096 } })
      worker.on("message", (message: WorkerMessage) => {
        if (mine !== generation) return
        since = performance.now()
        counts.begin()
        if (message._tag === "Done") {
          counts.add(message.index, message.outcome, message.detail)
          next = message.index + 1
          if (next >= options.end) finish()
        }
      })
      worker.on("error", (error) => {
        if (mine === generation) lost("defect", `the worker died: ${error.message}`)
      })
      worker.on("exit", (code) => {
        if (mine === generation && next < options.end) lost("defect", `the worker exited with code ${code}`)
      })
    }
    // A body that overran is run once more in a fresh worker before it counts as a hang, so that a
    // machine busy with other work does not pass for a decoder that loops.
    const overran = new Set<number>()
    const watchdog = setInterval(
      () => {
        if (since === undefined || performance.now() - since <= options.hangMillis) return
        if (overran.has(next)) {
          lost("hang", `took longer than ${options.hangMillis} ms twice: its worker was terminated`)
        } else {
          overran.add(next)
          void worker?.terminate()
          start()
        }
      },
      Math.min(250, options.hangMillis / 4)
    )
    if (options.first >= options.end) finish()
    else start()
  })

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? undefined : process.argv[at + 1]
}

const integer = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined

/**
 * Fuzzes `targets`, which `module` exports as `targets`, for a package's `fuzz` script: `bodies` in all,
 * split evenly among them, each target in worker threads (see {@link runInWorkers}). Prints the seed and
 * a line per target; a defect or a hang prints its body's number and detail, saves the body under the
 * temporary directory, and makes the exit code 1.
 *
 * Options, from the command line or the environment: `--seed` (`ELECTFEED_FUZZ_SEED`, default random),
 * `--bodies` (`ELECTFEED_FUZZ_BODIES`, in all), `--target` (one target alone), `--first` (the first body's
 * number, to replay one).
 *
 * @since 0.1.0
 * @category running
 */
export const main = async (options: {
  /** The URL of the module that exports `targets`, for the workers to import. */
  readonly module: string
  readonly targets: ReadonlyArray<Target>
  readonly bodies: number
}): Promise<void> => {
  const { targets } = options
  const seed = integer(argument("seed") ?? process.env["ELECTFEED_FUZZ_SEED"]) ?? randomInt(2 ** 31)
  const bodies = integer(argument("bodies") ?? process.env["ELECTFEED_FUZZ_BODIES"]) ?? options.bodies
  const only = argument("target")
  const first = integer(argument("first")) ?? 0
  const chosen = targets.filter((target) => only === undefined || target.name === only)
  const each = Math.ceil(bodies / Math.max(chosen.length, 1))
  console.log(`fuzzing ${chosen.length} targets, ${each} bodies each, seed ${seed}`)
  const failed: Array<{ readonly target: Target; readonly failure: Failure }> = []
  for (const target of chosen) {
    const report = await runInWorkers(options.module, target.name, { seed, first, end: first + each, hangMillis })
    console.log(formatReport(report))
    for (const failure of report.failures) failed.push({ target, failure })
  }
  const folder = path.join(tmpdir(), "electfeed-fuzz")
  for (const { target, failure } of failed) {
    mkdirSync(folder, { recursive: true })
    const file = path.join(folder, `${target.name.replaceAll(/[^\w.-]/g, "_")}-${seed}-${failure.index}.bin`)
    writeFileSync(file, body(target, seed, failure.index))
    console.log(
      `\n${failure.outcome}: ${target.name} body ${failure.index}, saved as ${file}\n` +
        `  again: --seed ${seed} --target ${target.name} --first ${failure.index} --bodies 1\n  ${failure.detail}`
    )
  }
  if (failed.length > 0) process.exitCode = 1
}
