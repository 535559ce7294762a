/**
 * How long a read of every family takes against the simulator, JSON and CSV, with no rate limit: the
 * connector's own cost (HTTP on 127.0.0.1, decoding, mapping) per poll, wall and CPU time, as a ratio
 * against a plain baseline measured in the same run (raw undici and `JSON.parse` of the same endpoints,
 * nothing decoded or mapped). The simulator runs in a process of its own, so CPU time is the reader's.
 * Each read warms up once. Prints figures; asserts nothing. Run with `pnpm bench [--quick]`.
 */
import { fork } from "node:child_process"
import * as path from "node:path"
import { Source } from "@electfeed/core"
import { Duration, Effect, Stream } from "effect"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { type Config, Endpoints, source } from "../src/index.ts"
import { Election } from "../src/testing/index.ts"

const rounds = Bench.size(5, 20)

/** The time of a read (mean over the rounds, after one warm-up), wall and CPU, and what it counted. */
const timed = (read: () => Promise<number>) =>
  Effect.promise(async () => {
    const { value, wallMillis, cpuMillis } = await Bench.warmTimed(async () => {
      let counted = 0
      for (let round = 0; round < rounds; round++) counted += await read()
      return counted
    })
    return { counted: value / rounds, wallMillis: wallMillis / rounds, cpuMillis: cpuMillis / rounds }
  })

// The plain way: fetch each default endpoint and parse it, nothing else.
const baseline = (url: string, undici: Bench.Undici) => async () => {
  let bodies = 0
  for (const endpoint of Endpoints.defaults) {
    const response = await undici.request(`${url}${Endpoints.path(endpoint)}`)
    if (response.statusCode !== 200) {
      await response.body.dump()
      continue
    }
    JSON.parse(await response.body.text())
    bodies++
  }
  return bodies
}

const events = (config: Config.Config) => () =>
  Effect.runPromise(
    source.read(config).pipe(
      Stream.filter((item) => item._tag === "Event"),
      Stream.runCount,
      Effect.orDie,
      Effect.provide(Source.layer)
    )
  )

const program = Effect.gen(function* () {
  const simulator = fork(path.join(import.meta.dirname, "simulator.ts"), [], { stdio: "inherit" })
  yield* Effect.addFinalizer(() => Effect.sync(() => simulator.disconnect()))
  const sim = yield* Effect.promise(
    () => new Promise<{ url: string }>((resolve) => simulator.once("message", (message) => resolve(message as never)))
  )
  // A burst as large as the rate: the limiter's bookkeeping is measured, not its pacing.
  const rateLimit = { limit: 1_000_000, window: Duration.seconds(1), burst: 1_000_000 }
  const plain = yield* timed(baseline(sim.url, yield* Effect.promise(Bench.undici)))
  console.log(`baseline, raw undici + JSON.parse of ${plain.counted} bodies: ${plain.wallMillis.toFixed(1)} ms a read`)
  const results: Array<Bench.BenchResult> = []
  const runs: ReadonlyArray<readonly [string, Config.Config]> = [
    ["every family, JSON", { baseUrl: sim.url, rateLimit }],
    ["every family, CSV", { baseUrl: sim.url, rateLimit, format: "csv" }],
    [
      "every district contest by id (batch query)",
      {
        baseUrl: sim.url,
        rateLimit,
        contests: Election.contests.flatMap((contest) =>
          contest.path.includes("/district/") && contest.code !== undefined ? [`${contest.code}59`] : []
        )
      }
    ]
  ]
  for (const [label, config] of runs) {
    const measured = yield* timed(events(config))
    console.log(`${label}: ${measured.counted} events a read`)
    results.push(
      Bench.result({
        name: `ca-sos: read of ${label}, wall time`,
        unit: "ms",
        value: measured.wallMillis,
        baseline: plain.wallMillis,
        better: "lower"
      }),
      Bench.result({
        name: `ca-sos: read of ${label}, CPU time`,
        unit: "ms",
        value: measured.cpuMillis,
        baseline: plain.cpuMillis,
        better: "lower"
      })
    )
  }
  Bench.record("ca-sos", results)
})

await Effect.runPromise(Effect.scoped(program))
