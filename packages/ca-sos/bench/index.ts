/**
 * How long a read of every family takes against the simulator, JSON and CSV, with no rate limit: the
 * connector's own cost (HTTP on 127.0.0.1, decoding, mapping) per poll. Run with `pnpm bench`.
 */
import { Source } from "@electfeed/core"
import { Duration, Effect, Stream } from "effect"
import { type Config, source } from "../src/index.ts"
import { Election, serve } from "../src/testing/index.ts"

const rounds = 20

const bench = (label: string, config: Config.Config) =>
  Effect.gen(function* () {
    yield* source.read(config).pipe(Stream.runDrain)
    const started = performance.now()
    let events = 0
    for (let round = 0; round < rounds; round++) {
      events += yield* source.read(config).pipe(
        Stream.filter((item) => item._tag === "Event"),
        Stream.runCount
      )
    }
    const perRead = (performance.now() - started) / rounds
    console.log(`${label}: ${(events / rounds).toFixed(0)} events, ${perRead.toFixed(1)} ms a read`)
  })

const program = Effect.gen(function* () {
  const sim = yield* serve()
  const rateLimit = { limit: 1_000_000, window: Duration.seconds(1) }
  yield* bench("every family, JSON", { baseUrl: sim.url, rateLimit })
  yield* bench("every family, CSV", { baseUrl: sim.url, rateLimit, format: "csv" })
  yield* bench("every district contest by id (batch query)", {
    baseUrl: sim.url,
    rateLimit,
    contests: Election.contests.flatMap((contest) =>
      contest.path.includes("/district/") && contest.code !== undefined ? [`${contest.code}59`] : []
    )
  })
})

await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(Source.layer)))
