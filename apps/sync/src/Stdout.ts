/**
 * Writing data to stdout, whatever stdout is: a reader that goes away (`electfeed read … | head -1`) ends
 * the output quietly, and an output that cannot take more (a full disk) is a typed error, never an
 * unhandled `EPIPE` or `ENOSPC` event that crashes the process with a stack trace.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"

/**
 * stdout cannot be written (a full disk, a device error).
 *
 * @since 0.1.0
 * @category errors
 */
export class OutputError extends Schema.TaggedError<OutputError>()("OutputError", {
  /** The system's error code, e.g. `ENOSPC`. */
  code: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot write the output: ${this.detail}`
  }
}

const readerGone = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"])

/** The first error stdout reported: once it broke, it stays broken. */
let broken: NodeJS.ErrnoException | undefined

const outcome = (error: NodeJS.ErrnoException): Effect.Effect<boolean, OutputError> => {
  const first = broken ?? error
  return readerGone.has(first.code ?? "")
    ? Effect.succeed(false)
    : Effect.fail(new OutputError({ code: first.code ?? "unknown", detail: first.message }))
}

/**
 * Keeps stdout's and stderr's errors from crashing the process: stdout's are reported by the next
 * {@link write}; stderr's cannot be reported anywhere. Call once, before anything is written.
 *
 * @since 0.1.0
 * @category output
 */
export const guard = (): void => {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    broken ??= error
  })
  process.stderr.on("error", () => {})
}

/**
 * Writes `text` to stdout and waits until it is handed to the system, so a pipe that is not read holds
 * the writer back. `false` when the reader went away: the caller stops writing, and the command ends as
 * done.
 *
 * @since 0.1.0
 * @category output
 */
export const write = (text: string): Effect.Effect<boolean, OutputError> =>
  Effect.callback<boolean, OutputError>((resume) => {
    if (broken !== undefined) return resume(outcome(broken))
    process.stdout.write(text, (error) => {
      if (error === null || error === undefined) resume(Effect.succeed(true))
      else resume(outcome(error))
    })
  })

/**
 * Writes lines to stdout (see {@link write}); nothing more once the reader went away.
 *
 * @since 0.1.0
 * @category output
 */
export const lines = (...text: ReadonlyArray<string>): Effect.Effect<void, OutputError> =>
  Effect.asVoid(write(`${text.join("\n")}\n`))
