/**
 * The app's config file (JSON or YAML): where the store is, and which sources to read how often.
 *
 * ```yaml
 * store:
 *   url: .electfeed/electfeed.db        # or postgres://user@host:5432/db
 *   # connectTimeout: 10 seconds        # how long to wait for the database (defaults shown)
 *   # statementTimeout: 60 seconds
 *   # leaseTtl: 30 seconds               # a writer's hold on a source, renewed while it reads
 *   # leaseWait: 5 minutes               # how long to wait for a source another process writes
 * downloads: .electfeed/downloads
 * sources:
 *   ca-sos:
 *     every: 60 seconds
 *     config: { endpoints: [/returns/governor, /returns/ballot-measures] }
 *   ballotpedia:
 *     every: 24 hours
 *     config: { datasets: ["1098"], format: csv }
 * ```
 *
 * Secrets never come from the file: each source's secret settings are read from the environment. Every
 * problem is reported with the key it is at and what was expected, all at once.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { Source } from "@electfeed/core"
import { Duration, Effect, Option, Result, Schema, SchemaIssue } from "effect"
import { Yaml } from "effect/encoding"
import type { Entry } from "./Sync.ts"

/**
 * A source the app can read, with what the app needs to know beyond the connector itself.
 *
 * @since 0.1.0
 * @category models
 */
export interface Installed {
  readonly source: Source.Any
  /** Config keys that hold secrets, and the environment variable each is read from. */
  readonly secrets: Readonly<Record<string, string>>
  /** The poll cadence when the config file gives none. */
  readonly every: Duration.Duration
}

/**
 * The config file is missing, unreadable or invalid.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigFileError extends Schema.TaggedError<ConfigFileError>()("ConfigFileError", {
  file: Schema.String,
  problems: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `${this.file} is not a usable config: ${this.problems.join("; ")}. See \`electfeed sync --help\` for the format.`
  }
}

const SourceSection = Schema.Struct({
  every: Schema.optionalKey(Schema.String),
  config: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
})

const Wait = Schema.DurationFromString.check(
  Schema.makeFilter((duration) => Duration.isGreaterThan(duration, Duration.zero) || "expected a positive duration")
)

const FileShape = Schema.Struct({
  store: Schema.optionalKey(
    Schema.Struct({
      url: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
      schema: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[a-z_][a-z0-9_]*$/))),
      connectTimeout: Schema.optionalKey(Wait),
      statementTimeout: Schema.optionalKey(Wait),
      leaseTtl: Schema.optionalKey(Wait),
      leaseWait: Schema.optionalKey(Wait)
    })
  ),
  downloads: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
  sources: Schema.Record(Schema.String, SourceSection)
})

/**
 * A loaded, checked config.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppConfig {
  /** Where the store is, and how long to wait for it (see the store's options for the defaults). */
  readonly store: {
    readonly url: string
    readonly schema: string | undefined
    readonly connectTimeout: Duration.Duration | undefined
    readonly statementTimeout: Duration.Duration | undefined
    readonly leaseTtl: Duration.Duration | undefined
    readonly leaseWait: Duration.Duration | undefined
  }
  readonly downloads: string
  readonly entries: ReadonlyArray<Entry>
}

/**
 * Where the embedded store and downloads live when nothing else is said.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaults = { store: ".electfeed/electfeed.db", downloads: ".electfeed/downloads" }

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const problemsOf = (issue: SchemaIssue.Issue, at: ReadonlyArray<string>): Array<string> =>
  formatter(issue).issues.map((i) => {
    const where = [...at, ...(i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p))].join(".")
    return `${where || "(top level)"}: ${i.message}`
  })

const parseDuration = (value: string): Option.Option<Duration.Duration> =>
  Option.filter(Duration.fromInput(value as Duration.Input), (d) => Duration.isGreaterThan(d, Duration.zero))

/**
 * Checks a parsed config document against the installed sources and the environment.
 *
 * @since 0.1.0
 * @category loading
 */
export const check = Effect.fnUntraced(function* (
  document: unknown,
  installed: ReadonlyArray<Installed>,
  env: Readonly<Record<string, string | undefined>>,
  file: string
): Effect.fn.Return<AppConfig, ConfigFileError> {
  const problems: Array<string> = []
  const shape = Schema.decodeUnknownResult(FileShape)(document, { errors: "all", onExcessProperty: "error" })
  if (Result.isFailure(shape)) {
    return yield* new ConfigFileError({ file, problems: problemsOf(shape.failure.issue, []) })
  }
  const parsed = shape.success
  const entries: Array<Entry> = []
  for (const [id, section] of Object.entries(parsed.sources)) {
    const at = ["sources", id]
    const known = installed.find((i) => i.source.id === id)
    if (known === undefined) {
      problems.push(`${at.join(".")}: no such source; installed: ${installed.map((i) => i.source.id).join(", ")}`)
      continue
    }
    const every = section.every === undefined ? Option.some(known.every) : parseDuration(section.every)
    if (Option.isNone(every)) {
      problems.push(
        `${[...at, "every"].join(".")}: expected a duration such as "60 seconds" or "24 hours", got ${JSON.stringify(section.every)}`
      )
    }
    const raw: Record<string, unknown> = { ...section.config }
    for (const [key, variable] of Object.entries(known.secrets)) {
      if (key in raw) {
        problems.push(
          `${[...at, "config", key].join(".")}: secrets are read from the environment only; remove it and set ${variable}`
        )
      } else if (env[variable] === undefined || env[variable] === "") {
        problems.push(`${[...at, "config", key].join(".")}: set the environment variable ${variable}`)
      } else {
        raw[key] = env[variable]
      }
    }
    const config = Schema.decodeUnknownResult(known.source.configSchema)(raw, {
      errors: "all",
      onExcessProperty: "error"
    })
    if (Result.isFailure(config)) {
      problems.push(...problemsOf(config.failure.issue, [...at, "config"]))
      continue
    }
    if (Option.isSome(every)) entries.push({ source: known.source, config: config.success, every: every.value })
  }
  if (problems.length > 0) return yield* new ConfigFileError({ file, problems })
  return {
    store: {
      url: parsed.store?.url ?? defaults.store,
      schema: parsed.store?.schema,
      connectTimeout: parsed.store?.connectTimeout,
      statementTimeout: parsed.store?.statementTimeout,
      leaseTtl: parsed.store?.leaseTtl,
      leaseWait: parsed.store?.leaseWait
    },
    downloads: parsed.downloads ?? defaults.downloads,
    entries
  }
})

/**
 * Reads and checks a config file; `.yaml`/`.yml` files are YAML, anything else JSON.
 *
 * @since 0.1.0
 * @category loading
 */
export const load = Effect.fn("AppConfig.load")(function* (
  file: string,
  installed: ReadonlyArray<Installed>,
  env: Readonly<Record<string, string | undefined>> = process.env
): Effect.fn.Return<AppConfig, ConfigFileError> {
  const text = yield* Effect.try({
    try: () => fs.readFileSync(file, "utf8"),
    catch: (cause) =>
      new ConfigFileError({
        file,
        problems: [(cause as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(cause)]
      })
  })
  const document = yield* Effect.try({
    try: () => (/\.ya?ml$/i.test(file) ? Yaml.parse(text) : JSON.parse(text)),
    catch: (cause) =>
      new ConfigFileError({
        file,
        problems: [
          `not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${cause instanceof Error ? cause.message : String(cause)}`
        ]
      })
  })
  return yield* check(document, installed, env, path.basename(file))
})
