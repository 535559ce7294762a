/**
 * Progress of long work (bulk downloads, large files), reported by sources and shown by apps.
 *
 * Sources call {@link report}; the app installs a {@link ProgressReporter} that draws a progress line, logs
 * JSON, or ignores it (the default). Reports are cheap: sources send them at most every few hundred
 * kilobytes or rows. {@link formatBytes} and {@link formatDuration} write sizes and times the way core's own
 * logs and messages do.
 *
 * @since 0.1.0
 */
import { Context, type Duration, Effect } from "effect"
import * as Format from "./internal/format.ts"

/**
 * Where a read of a bulk stream stands.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProgressReport {
  readonly source: string
  readonly stream: string
  /** `download` while bytes arrive, `parse` while rows are read from them. */
  readonly phase: "download" | "parse"
  /** Bytes done in this phase. */
  readonly bytes: number
  /** Bytes in all, when known. */
  readonly totalBytes: number | undefined
  /** Rows read so far (parse phase). */
  readonly rows: number
  /** Whether this is the last report of the phase. */
  readonly done: boolean
}

/**
 * Receives every {@link ProgressReport}. The default drops them.
 *
 * @since 0.1.0
 * @category services
 */
export const ProgressReporter = Context.Reference<(report: ProgressReport) => Effect.Effect<void>>(
  "@electfeed/core/Progress/ProgressReporter",
  { defaultValue: () => () => Effect.void }
)

// Untraced: a download reports for every chunk it writes, too often for a span each.
/**
 * Sends a report to the current {@link ProgressReporter}.
 *
 * @since 0.1.0
 * @category reporting
 */
export const report = Effect.fnUntraced(function* (progress: ProgressReport): Effect.fn.Return<void> {
  const reporter = yield* ProgressReporter
  yield* reporter(progress)
})

/**
 * `12.3 MB`, `512 B`: a byte count as people read it (decimal units).
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatBytes: (bytes: number) => string = Format.formatBytes

/**
 * `350 ms`, `1.2 s`, `42 s`, `2 min 5 s`: a duration as people read it.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDuration: (duration: Duration.Input) => string = Format.formatDuration
