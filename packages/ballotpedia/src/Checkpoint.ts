/**
 * The checkpoint of a dataset stream: which version of the file was read, and how far.
 *
 * `rows` counts the rows handled (emitted or skipped) before the checkpoint; the sync app stores a
 * checkpoint with the events before it, so a read given it back goes on at row `rows` of the same file.
 * `complete` marks the end of the file: with the host's validators, a later read asks whether the file
 * changed and reads nothing when it did not.
 *
 * @since 0.1.0
 */
import type { Download } from "@electfeed/core"
import { Effect, Option, Schema } from "effect"

/**
 * @since 0.1.0
 * @category schemas
 */
export const State = Schema.Struct({
  validators: Schema.Struct({
    etag: Schema.optionalKey(Schema.String),
    lastModified: Schema.optionalKey(Schema.String)
  }),
  /** SHA-256 hex of the file. */
  sha256: Schema.String,
  rows: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  complete: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type State = typeof State.Type

/**
 * The state as JSON, for `Source.checkpoint`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly validators: Download.Validators
  readonly sha256: string
  readonly rows: number
  readonly complete: boolean
}): Schema.Json => ({
  validators: {
    ...(fields.validators.etag === undefined ? {} : { etag: fields.validators.etag }),
    ...(fields.validators.lastModified === undefined ? {} : { lastModified: fields.validators.lastModified })
  },
  sha256: fields.sha256,
  rows: fields.rows,
  complete: fields.complete
})

/**
 * The stored checkpoint of a stream, if any. One that cannot be read (written by another version, say)
 * is ignored with a warning: the stream is then read from its first row, which repeats events but
 * loses none.
 *
 * @since 0.1.0
 * @category decoding
 */
export const read = (stream: string, stored: Schema.Json | undefined): Effect.Effect<Option.Option<State>> =>
  stored === undefined
    ? Effect.succeedNone
    : Schema.decodeUnknownEffect(State)(stored).pipe(
        Effect.map(Option.some),
        Effect.catch((error) =>
          Effect.as(
            Effect.logWarning(`ignoring the checkpoint of ${stream}, which cannot be read: ${error.message}`),
            Option.none()
          )
        )
      )
