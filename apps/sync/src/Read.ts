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
import * as Stdout from "./Stdout.ts"

/**
 * Reads `source` with a raw config (decoded here, so a bad flag is a `ConfigError` naming it) and prints
 * every event as one line of NDJSON. Malformed rows the source skipped are logged on stderr. A reader
 * that goes away (`| head`) ends the read quietly.
 *
 * @since 0.1.0
 * @category reading
 */
export const readToStdout = Effect.fn("Read.readToStdout")(
  function* (
    source: Source.Any,
    raw: Record<string, unknown>,
    // Used by the services provided below, around the whole read.
    _logFormat: LogFormat
  ): Effect.fn.Return<void, SourceError.SourceError | Stdout.OutputError, Source.Services> {
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
      Stream.mapEffect((lines) => (lines === "" ? Effect.succeed(true) : Stdout.write(lines))),
      Stream.takeWhile((open) => open),
      Stream.runDrain
    )
    yield* Effect.logDebug(`${source.id}: ${events} events`)
  },
  (effect, _source, _raw, logFormat) =>
    effect.pipe(
      Effect.provideService(Progress.ProgressReporter, progressReporter(logFormat)),
      Effect.provideService(Download.DownloadDirectory, path.join(os.tmpdir(), "electfeed-read")),
      Effect.provide(Source.layer)
    )
)
