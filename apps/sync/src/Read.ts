/**
 * The ad-hoc reader: one source, no config file, NDJSON events on stdout.
 *
 * @since 0.1.0
 */
import * as os from "node:os"
import * as path from "node:path"
import { Download, Feed, Progress, Source, type SourceError } from "@electfeed/core"
import { Effect, Stream } from "effect"
import { type LogFormat, progressReporter } from "./Output.ts"

/**
 * Writes text to stdout, waiting when the pipe is full; a reader that went away (`| head`) ends the
 * write quietly.
 *
 * @since 0.1.0
 * @category output
 */
export const writeStdout = (text: string): Effect.Effect<boolean> =>
  Effect.callback<boolean>((resume) => {
    if (process.stdout.destroyed) return resume(Effect.succeed(false))
    const ok = process.stdout.write(text, (error) => {
      if (error !== null && error !== undefined && !ok) resume(Effect.succeed(false))
    })
    if (ok) return resume(Effect.succeed(true))
    process.stdout.once("drain", () => resume(Effect.succeed(true)))
  })

/**
 * Reads `source` with a raw config (decoded here, so a bad flag is a `ConfigError` naming it) and prints
 * every event as one line of NDJSON. Malformed rows the source skipped are logged on stderr.
 *
 * @since 0.1.0
 * @category reading
 */
export const readToStdout = (
  source: Source.Any,
  raw: Record<string, unknown>,
  logFormat: LogFormat
): Effect.Effect<void, SourceError.SourceError> =>
  Effect.gen(function* () {
    const config = yield* Source.decodeConfig(source, raw)
    let events = 0
    yield* source.read(config).pipe(
      // A chunk of items becomes one write: a line per event.
      Stream.mapArray((items) => {
        let lines = ""
        for (const item of items) {
          if (item._tag !== "Event") continue
          lines += `${Feed.encode(item.event)}\n`
          events++
        }
        return [lines]
      }),
      Stream.mapEffect((lines) => (lines === "" ? Effect.succeed(true) : writeStdout(lines))),
      Stream.takeWhile((open) => open),
      Stream.runDrain
    )
    yield* Effect.logDebug(`${source.id}: ${events} events`)
  }).pipe(
    Effect.provideService(Progress.ProgressReporter, progressReporter(logFormat)),
    Effect.provideService(Download.DownloadDirectory, path.join(os.tmpdir(), "electfeed-read")),
    Effect.provide(Source.layer)
  )
