/**
 * What goes wrong with the store, and how a call to the database becomes one readable {@link StoreError}:
 * bounded in time, whatever the driver failed with (a query error, a connection lost in the middle of a
 * transaction, a row of an unexpected shape).
 *
 * @since 0.1.0
 */
import { Cause, Duration, Effect, Schema } from "effect"
import { SqlError } from "effect/sql"

/**
 * The store cannot be opened, migrated, read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `store: ${this.detail}`
  }
}

const isStoreError = Schema.is(StoreError)

/**
 * A driver error in one line: the driver's message and, when it has one, the underlying cause's
 * (`PgConnection: Socket error (write ECONNRESET)`).
 *
 * @since 0.1.0
 * @category errors
 */
export const describeSqlError = (error: SqlError.SqlError): string => {
  const underlying = error.cause.cause
  const why = underlying instanceof Error && underlying.message !== "" ? underlying.message : undefined
  return why === undefined || error.message.includes(why) ? error.message : `${error.message} (${why})`
}

/**
 * A store call made readable and bounded in time, as {@link storeCall} makes it.
 *
 * @since 0.1.0
 * @category errors
 */
export type Bound = <A, E extends SqlError.SqlError | Schema.SchemaError | StoreError, R>(
  effect: Effect.Effect<A, E, R>
) => Effect.Effect<A, StoreError, R>

/**
 * Runs one store call: fails with a {@link StoreError} saying `what` could not be done and why, after
 * at most `timeout` without an answer. A connection lost in the middle of a transaction makes the
 * driver's rollback fail too, which the SQL client reports as a defect: that is a store failure as
 * well, not a bug.
 *
 * @since 0.1.0
 * @category errors
 */
export const storeCall =
  (what: string, where: string, timeout: Duration.Duration): Bound =>
  (effect) =>
    effect.pipe(
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(new StoreError({ detail: `${what}: no answer from ${where} in ${Duration.format(timeout)}` }))
      }),
      Effect.catchCause((cause): Effect.Effect<never, StoreError> => {
        // Stopped by a signal: a rollback that failed on the way out changes nothing.
        if (Cause.hasInterrupts(cause)) return Effect.interrupt
        const reasons = cause.reasons.flatMap(
          (reason): Array<unknown> =>
            Cause.isFailReason(reason) ? [reason.error] : Cause.isDieReason(reason) ? [reason.defect] : []
        )
        const known = reasons.find(isStoreError)
        if (known !== undefined) return Effect.fail(known)
        const sqlError = reasons.find(SqlError.isSqlError)
        if (sqlError !== undefined)
          return Effect.fail(new StoreError({ detail: `${what}: ${describeSqlError(sqlError)}` }))
        const schemaError = reasons.find(Schema.isSchemaError)
        if (schemaError !== undefined) {
          return Effect.fail(
            new StoreError({ detail: `${what}: a row has an unexpected shape: ${schemaError.message}` })
          )
        }
        return Effect.die(Cause.squash(cause))
      })
    )
