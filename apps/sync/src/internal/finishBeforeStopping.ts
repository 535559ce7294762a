/**
 * Letting work in flight finish when the app is told to stop.
 *
 * @since 0.1.0
 */
import { type Duration, Effect, Fiber } from "effect"

/**
 * Runs `effect` so that an interruption (SIGINT, SIGTERM) lets it finish, for up to `grace`, before it
 * is interrupted in turn, `abandon` first unblocking what no interruption reaches. A store transaction
 * in flight commits; one stuck on a silent database is abandoned, and the database rolls it back.
 *
 * @since 0.1.0
 */
export const finishBeforeStopping =
  (grace: Duration.Input, abandon: Effect.Effect<void>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        const work = yield* Effect.forkChild(restore(effect))
        return yield* restore(Fiber.join(work)).pipe(
          Effect.onInterrupt(() =>
            Fiber.await(work).pipe(
              Effect.timeoutOrElse({
                duration: grace,
                orElse: () => Effect.andThen(abandon, Fiber.interrupt(work))
              }),
              Effect.asVoid
            )
          )
        )
      })
    )
