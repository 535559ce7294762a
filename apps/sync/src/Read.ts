/**
 * The ad-hoc reader: one source, no config file, NDJSON events on stdout. Its config comes from the
 * command line (`--config-json`, `--set key=value`, the source's own flags) and its secrets from the
 * environment.
 *
 * @since 0.1.0
 */
import * as os from "node:os"
import * as path from "node:path"
import { Download, Feed, Progress, Source, SourceError } from "@electfeed/core"
import { Effect, Option, Result, Schema, Stream } from "effect"
import type { ConfigKey } from "./ConfigKeys.ts"
import { type LogFormat, progressReporter } from "./Output.ts"
import * as ReadOutput from "./ReadOutput.ts"
import * as Stdout from "./Stdout.ts"

/**
 * The config of an ad-hoc read as the command line gives it.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReadInput {
  /** `--config-json`: a whole config document, which the other flags add to. */
  readonly configJson: Option.Option<string>
  /** `--set key=value`. */
  readonly set: Readonly<Record<string, string>>
  /** The source's own flags that were given, each with its values in order. */
  readonly flags: ReadonlyArray<{
    readonly flag: string
    readonly key: string
    readonly repeatable: boolean
    readonly values: ReadonlyArray<string>
  }>
}

const configError = (source: Source.Any, detail: string) => new SourceError.ConfigError({ source: source.id, detail })

/** Command-line text as a value of `key`: text for a text key (or an unknown one), JSON otherwise. */
const parseValue = (source: Source.Any, key: ConfigKey | undefined, text: string, where: string) =>
  key === undefined || key.text
    ? Effect.succeed<unknown>(text)
    : Result.match(
        Result.try(() => JSON.parse(text) as unknown),
        {
          onSuccess: Effect.succeed,
          onFailure: () =>
            Effect.fail(configError(source, `${where}: expected ${key.type} as JSON, got ${JSON.stringify(text)}`))
        }
      )

/** `--set` of a list key takes a JSON list, or one item. */
const setValue = (source: Source.Any, key: ConfigKey | undefined, text: string, where: string) =>
  key?.list === true && !text.trimStart().startsWith("[")
    ? Effect.map(parseValue(source, key, text, where), (item) => [item])
    : parseValue(source, key?.list === true ? { ...key, text: false } : key, text, where)

/**
 * The raw config `input` gives for `source` (whose keys are `keys`), with its secrets from `env`: a
 * secret given on the command line, or missing from the environment, is a `ConfigError` naming its
 * variable.
 *
 * @since 0.2.0
 * @category reading
 */
export const rawConfig = Effect.fn("Read.rawConfig")(function* (
  source: Source.Any,
  keys: ReadonlyArray<ConfigKey>,
  input: ReadInput,
  env: Readonly<Record<string, string | undefined>>
): Effect.fn.Return<Record<string, unknown>, SourceError.ConfigError> {
  const keyOf = (name: string) => keys.find((key) => key.name === name)
  const raw: Record<string, unknown> = {}
  const { configJson } = input
  if (Option.isSome(configJson)) {
    const document = Result.try(() => JSON.parse(configJson.value) as unknown)
    if (Result.isFailure(document) || typeof document.success !== "object" || document.success === null) {
      return yield* configError(source, "--config-json: expected a JSON object")
    }
    Object.assign(raw, document.success)
  }
  for (const [name, text] of Object.entries(input.set)) {
    raw[name] = yield* setValue(source, keyOf(name), text, `--set ${name}`)
  }
  for (const { flag, key: name, repeatable, values } of input.flags) {
    const key = keyOf(name)
    const parsed = yield* Effect.forEach(values, (text) => parseValue(source, key, text, `--${flag}`))
    raw[name] = repeatable ? parsed : parsed[parsed.length - 1]
  }
  for (const [key, variable] of Object.entries(source.secrets)) {
    if (key in raw) {
      return yield* configError(source, `${key}: a secret is read from the environment only; set ${variable}`)
    }
    const value = env[variable]
    if (value === undefined || value === "") {
      return yield* configError(source, `${key}: set the environment variable ${variable}`)
    }
    raw[key] = value
  }
  return raw
})

/**
 * Decodes `raw` for `source`; a key the source does not have is an error, as in a config file.
 *
 * @since 0.2.0
 * @category reading
 */
export const decode = (source: Source.Any, raw: unknown): Effect.Effect<unknown, SourceError.ConfigError> =>
  Schema.decodeUnknownEffect(source.configSchema as Schema.Decoder<unknown>)(raw, {
    errors: "all",
    onExcessProperty: "error"
  }).pipe(Effect.mapError((error) => configError(source, error.message.replace(/\n\s*/g, "; "))))

/**
 * Reads `source` with a raw config (decoded here, so a bad flag is a `ConfigError` naming it) and prints
 * its events: as NDJSON, a line per event as it arrives, or, for `csv` and `table`, the last event of
 * each key once the read ends (see `ReadOutput`). Malformed rows the source skipped are logged on
 * stderr. A reader that goes away (`| head`) ends the read quietly.
 *
 * @since 0.1.0
 * @category reading
 */
export const readToStdout = Effect.fn("Read.readToStdout")(
  function* (
    source: Source.Any,
    raw: Record<string, unknown>,
    // Used by the services provided below, around the whole read.
    _logFormat: LogFormat,
    output: ReadOutput.Output
  ): Effect.fn.Return<void, SourceError.SourceError | Stdout.OutputError, Source.Services> {
    const config = yield* decode(source, raw)
    let events = 0
    const read = Stream.filterMap(source.read(config), (item) =>
      item._tag === "Event" ? Result.succeed(item.event) : Result.failVoid
    )
    if (output !== "ndjson") {
      const latest = new Map<string, Feed.FeedEvent>()
      yield* Stream.runForEach(read, (event) =>
        Effect.sync(() => {
          latest.delete(event.key)
          latest.set(event.key, event)
          events++
        })
      )
      const lines = ReadOutput.lines([...latest.values()], output)
      if (lines.length > 0) yield* Stdout.write(lines.map((line) => `${line}\n`).join(""))
    } else {
      yield* read.pipe(
        // A chunk of events becomes one write: a line per event.
        Stream.mapArray((chunk) => {
          let lines = ""
          for (const event of chunk) lines += `${Feed.encode(event)}\n`
          events += chunk.length
          return [lines]
        }),
        Stream.mapEffect((lines) => (lines === "" ? Effect.succeed(true) : Stdout.write(lines))),
        Stream.takeWhile((open) => open),
        Stream.runDrain
      )
    }
    yield* Effect.logDebug(`${source.id}: ${events} events`)
  },
  (effect, _source, _raw, logFormat) =>
    effect.pipe(
      Effect.provideService(Progress.ProgressReporter, progressReporter(logFormat)),
      Effect.provideService(Download.DownloadDirectory, path.join(os.tmpdir(), "electfeed-read")),
      Effect.provide(Source.layer)
    )
)
