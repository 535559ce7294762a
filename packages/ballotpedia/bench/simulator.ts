/**
 * The benchmark's simulator, in a process of its own so that generating the file does not count towards
 * the reader's memory. Started by `index.ts` with the number of rows; answers with its URL and key.
 */
import { Effect } from "effect"
import { Simulator } from "../src/testing/index.ts"

const rows = Number(process.argv[2])

await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const sim = yield* Simulator.serve({
        datasets: [{ id: "1253", title: "Candidates", kind: "candidates", rows }]
      })
      // Measuring the file now keeps that pass out of the timed download.
      const { size } = sim.file("1253", "json")
      process.send!({ url: sim.url, apiKey: sim.apiKey, size })
      yield* Effect.callback<void>((resume) => {
        process.once("disconnect", () => resume(Effect.void))
      })
    })
  )
)
