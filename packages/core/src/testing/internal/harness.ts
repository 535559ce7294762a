import { Cause, Duration, Effect, Exit, Fiber, Option, type Scope } from "effect"
import { TestClock } from "effect/testing"
import type * as Source from "../../Source.ts"
import type { SourceError } from "../../SourceError.ts"

/** A case before `Conformance.cases` gives it its clock, its download folder and its outcome. */
export interface CaseSpec {
  readonly name: string
  readonly group: "standard" | "hostile"
  readonly knownGap?: string | undefined
  readonly body: Effect.Effect<void, unknown, Scope.Scope>
}

/** How the cases read a source: every stream to the end, collecting the items. */
export type Read<Config> = (
  config: Config,
  readOptions?: Source.ReadOptions
) => Effect.Effect<ReadonlyArray<Source.ReadItem>, SourceError>

export const realSleep = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/** Waits, in real time, until `condition` holds: for events outside effect, such as what a server saw. */
export const waitUntil = (condition: () => boolean) =>
  Effect.gen(function* () {
    while (!condition()) yield* realSleep(2)
  })

export const failureOf = <A>(exit: Exit.Exit<A, SourceError>): SourceError | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined

/** See `Conformance.withVirtualTime`. */
export const withVirtualTime = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  step: Duration.Input = "20 millis"
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect)
    const advance = Duration.fromInputUnsafe(step)
    while (fiber.pollUnsafe() === undefined) {
      yield* realSleep(1)
      yield* TestClock.adjust(advance)
    }
    return yield* Fiber.join(fiber)
  })
