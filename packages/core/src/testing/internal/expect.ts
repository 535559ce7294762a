/**
 * The conformance cases' checks, as effects: a check that does not hold fails the case with an
 * {@link Unmet} rather than throwing, so the cases run under any test runner, or none.
 */
import * as NodeAssert from "node:assert/strict"
import { Effect, Schema } from "effect"

/** A check of a conformance case that did not hold, with what was wrong. */
export class Unmet extends Schema.TaggedError<Unmet>()("Unmet", { message: Schema.String }) {}

/** Fails the case with `message`. */
export const unmet = (message: string): Effect.Effect<never, Unmet> => Effect.fail(new Unmet({ message }))

/** Passes when `condition` holds, else fails the case with `message`. */
export const expect = (condition: boolean, message: string): Effect.Effect<void, Unmet> =>
  condition ? Effect.void : unmet(message)

/** Passes when `actual` deeply and strictly equals `expected`; the failure shows node's diff of the two. */
export const expectEqual = (actual: unknown, expected: unknown, message: string): Effect.Effect<void, Unmet> =>
  Effect.try({
    try: () => NodeAssert.deepStrictEqual(actual, expected),
    catch: (error) => new Unmet({ message: `${message}\n${error instanceof Error ? error.message : String(error)}` })
  })
