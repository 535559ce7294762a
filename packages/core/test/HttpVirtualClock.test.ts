/**
 * The client's time bounds on a virtual clock whose time has fractions of a millisecond, as it has after
 * a jittered retry wait: the watch must still end a request at its budget.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { Retry, Source, SourceError } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { client, failure, text } from "./fixtures/Clients.ts"

describe("Http on a virtual clock", () => {
  it.effect("ends a stalled body at its budget when the clock's time has fractions of a millisecond", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => text(200, "t".repeat(5000)))
      sim.inject({ _tag: "Stall" })
      // Started here, the watch's wait for the headers (30 s) then for the budget (5 min) ends, summed
      // on the clock, a fraction of a nanosecond before the deadline: what is left rounds to no wait.
      yield* TestClock.setTime(48909.708425)
      const outcome = yield* Effect.gen(function* () {
        const c = yield* client(sim.url, { retry: Retry.policy({ maxAttempts: 1 }), bodyTimeout: "1 hour" })
        // Opened, the body's headers are in before virtual time moves: the budget, not the response
        // timeout, is the bound that passes.
        const opened = yield* c.open(HttpClientRequest.get("/stall"))
        return yield* withVirtualTime(
          Effect.raceFirst(
            Effect.exit(Stream.runDrain(opened.body)),
            Effect.as(Effect.sleep("1 hour"), "hung" as const)
          ),
          "1 second"
        )
      }).pipe(Effect.scoped, Effect.provide(Source.layer))
      assert.notStrictEqual(outcome, "hung", "the body was still read an hour after its 5 min budget")
      if (outcome === "hung") return
      const error = failure(outcome)
      assert.isTrue(error instanceof SourceError.Transient && error.reason === "timeout", error.message)
      assert.include(error.message, "5 min in all")
    })
  )
})
