/**
 * How long a read of every family takes against the simulator, JSON and CSV, with no rate limit: the
 * connector's own cost (HTTP on 127.0.0.1, decoding, mapping) per poll, as a ratio against a plain
 * baseline measured in the same run (a bare `fetch` and `JSON.parse` of the same endpoints, nothing
 * decoded or mapped). Prints figures; asserts nothing. Run with `pnpm bench`.
 */
import { Source } from "@electfeed/core"
import { Duration, Effect, Stream } from "effect"
import { type Config, Endpoints, source } from "../src/index.ts"
import { Election, serve } from "../src/testing/index.ts"

const rounds = 20

/** The mean time of `read` over the rounds (after one warm-up), and what it counted. */
const timed = <R>(read: Effect.Effect<number, never, R>) =>
  Effect.gen(function* () {
    yield* read
    const started = performance.now()
    let counted = 0
    for (let round = 0; round < rounds; round++) counted += yield* read
    return { counted: counted / rounds, millis: (performance.now() - started) / rounds }
  })

// The plain way: fetch each default endpoint and parse it, nothing else.
const baseline = (url: string) =>
  Effect.promise(async () => {
    let bodies = 0
    for (const endpoint of Endpoints.defaults) {
      const response = await fetch(`${url}${Endpoints.path(endpoint)}`)
      if (!response.ok) {
        await response.body?.cancel()
        continue
      }
      JSON.parse(await response.text())
      bodies++
    }
    return bodies
  })

const events = (config: Config.Config) =>
  source.read(config).pipe(
    Stream.filter((item) => item._tag === "Event"),
    Stream.runCount,
    Effect.orDie
  )

const program = Effect.gen(function* () {
  const sim = yield* serve()
  const rateLimit = { limit: 1_000_000, window: Duration.seconds(1) }
  const plain = yield* timed(baseline(sim.url))
  console.log(`baseline, bare fetch + JSON.parse of ${plain.counted} bodies: ${plain.millis.toFixed(1)} ms a read`)
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
    const { counted, millis } = yield* timed(events(config))
    console.log(
      `${label}: ${counted} events, ${millis.toFixed(1)} ms a read (${(millis / plain.millis).toFixed(2)}x the baseline)`
    )
  }
})

await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(Source.layer)))
