/**
 * What the CLI shows people: a progress line for long work on stderr, one line per poll, and logs as
 * text or JSON (on stderr too, so stdout carries only data).
 *
 * @since 0.1.0
 */
import { Progress } from "@electfeed/core"
import { Console, Duration, Effect, Layer, Logger } from "effect"
import { changedContests } from "./Results.ts"
import type { Report } from "./Sync.ts"

/**
 * `text` for people, `json` for log collectors.
 *
 * @since 0.1.0
 * @category models
 */
export type LogFormat = "text" | "json"

/**
 * Logs to stderr in the chosen format.
 *
 * @since 0.1.0
 * @category layers
 */
export const logging = (format: LogFormat) =>
  Layer.mergeAll(
    // `consoleJson` writes to stdout whatever `LogToStderr` says; stdout is for data (NDJSON).
    Logger.layer([
      format === "json" ? Logger.withConsoleError(Logger.formatJson) : Logger.consolePretty({ colors: "auto" })
    ]),
    Layer.succeed(Logger.LogToStderr, true)
  )

const number = new Intl.NumberFormat("en-US")

/**
 * A `ProgressReporter` that keeps one line on stderr up to date: bytes, rows, rate and ETA. On a
 * terminal it redraws in place; elsewhere (CI, a log file) it writes a line at most every few seconds.
 * With JSON logs it logs a structured progress entry instead.
 *
 * @since 0.1.0
 * @category progress
 */
export const progressReporter = (format: LogFormat, stream: NodeJS.WriteStream = process.stderr) => {
  const started = new Map<string, number>()
  let lastWrite = 0
  return (report: Progress.ProgressReport): Effect.Effect<void> =>
    Effect.suspend(() => {
      const id = `${report.source} ${report.stream} ${report.phase}`
      const now = Date.now()
      const begun = started.get(id) ?? now
      started.set(id, begun)
      const elapsed = Math.max(1, now - begun)
      const rate = (report.phase === "download" ? report.bytes : report.rows) / (elapsed / 1000)
      const fraction = report.totalBytes ? report.bytes / report.totalBytes : undefined
      const eta =
        fraction && fraction > 0 && !report.done
          ? Progress.formatDuration((elapsed / fraction) * (1 - fraction))
          : undefined
      if (format === "json") {
        if (!report.done && now - lastWrite < 2000) return Effect.void
        lastWrite = now
        return Effect.logInfo("progress").pipe(
          Effect.annotateLogs({
            source: report.source,
            stream: report.stream,
            phase: report.phase,
            bytes: report.bytes,
            totalBytes: report.totalBytes ?? null,
            rows: report.rows,
            ratePerSecond: Math.round(rate),
            etaSeconds: fraction && !report.done ? Math.round(((elapsed / fraction) * (1 - fraction)) / 1000) : null
          })
        )
      }
      // A rate over a few milliseconds says nothing: rates and ETAs wait for a quarter second of work.
      const measured = elapsed >= 250
      const details = [
        ...(measured
          ? [
              report.phase === "download"
                ? `${Progress.formatBytes(rate)}/s`
                : `${number.format(Math.round(rate))} rows/s`
            ]
          : []),
        ...(fraction !== undefined && !report.done ? [`${Math.round(fraction * 100)}%`] : []),
        ...(measured && eta !== undefined ? [`ETA ${eta}`] : [])
      ]
      const what =
        report.phase === "download"
          ? `${report.done ? "downloaded" : "downloading"} ${Progress.formatBytes(report.bytes)}${
              report.totalBytes && !report.done ? ` of ${Progress.formatBytes(report.totalBytes)}` : ""
            }`
          : `${report.done ? "read" : "reading"} ${number.format(report.rows)} rows`
      const line = `${report.source} ${report.stream}: ${what}${details.length > 0 ? ` (${details.join(", ")})` : ""}`
      if (stream.isTTY) {
        stream.write(`\r\u001b[2K${line}${report.done ? "\n" : ""}`)
      } else if (report.done || (elapsed >= 5000 && now - lastWrite >= 5000)) {
        lastWrite = now
        stream.write(`${line}\n`)
      }
      if (report.done) started.delete(id)
      return Effect.void
    })
}

/**
 * One line for one read of a source: `ca-sos: 3 changed (1 regressed), 2 added, 58 unchanged in 1.2 s`, then
 * the first contests that changed with their leader and percent reporting (see `Results.changedContests`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const reportLine = (report: Report, round?: number): string => {
  const parts = [
    `${report.added} added`,
    `${report.changed} changed${report.regressed > 0 ? ` (${report.regressed} regressed)` : ""}`,
    `${report.unchanged} unchanged`
  ]
  if (report.skipped > 0) parts.push(`${report.skipped} malformed rows skipped`)
  const head = `${report.source}${round === undefined ? "" : ` poll ${round}`}`
  const tail = report.error === undefined ? "" : `; failed: ${report.error.message}`
  const contests = changedContests(report.changes, report.added + report.changed)
  return `${head}: ${parts.join(", ")} in ${Progress.formatDuration(report.millis)}${contests === "" ? "" : `; ${contests}`}${tail}`
}

/**
 * Tells how one read of a source went, on stderr: its {@link reportLine} as text, or a log entry with
 * the same line and the figures as fields (a warning when the read failed) with JSON logs.
 *
 * @since 0.1.0
 * @category formatting
 */
export const announce =
  (format: LogFormat) =>
  (report: Report, round?: number): Effect.Effect<void> => {
    const line = reportLine(report, round)
    if (format === "text") return Console.error(line)
    return (report.error === undefined ? Effect.logInfo(line) : Effect.logWarning(line)).pipe(
      Effect.annotateLogs({
        source: report.source,
        ...(round === undefined ? {} : { round }),
        events: report.events,
        added: report.added,
        changed: report.changed,
        regressed: report.regressed,
        unchanged: report.unchanged,
        skipped: report.skipped,
        millis: report.millis,
        ...(report.error === undefined ? {} : { error: report.error.message, errorTag: report.error._tag })
      })
    )
  }

/**
 * `60 s`, `24 h`: a poll cadence.
 *
 * @since 0.1.0
 * @category formatting
 */
export const cadence = (duration: Duration.Duration): string => {
  const millis = Duration.toMillis(duration)
  if (millis % 3_600_000 === 0) return `${millis / 3_600_000} h`
  if (millis % 60_000 === 0) return `${millis / 60_000} min`
  return Progress.formatDuration(duration)
}
