/**
 * The benchmark's simulator, in a process of its own so that its work is not counted as the reader's
 * CPU. Answers with its URL; stops when `index.ts` disconnects.
 */
import { Effect } from "effect"
import { serve } from "../src/testing/index.ts"

await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const sim = yield* serve()
      process.send!({ url: sim.url })
      yield* Effect.callback<void>((resume) => {
        process.once("disconnect", () => resume(Effect.void))
      })
    })
  )
)
