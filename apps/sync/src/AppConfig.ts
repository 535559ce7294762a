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
 *   # changeRetention: 30 days           # prune stored changes older than this (default: keep all)
 * downloads: .electfeed/downloads
 * # rateLimit: { store: redis://127.0.0.1:6379 }   # share sources' rate limits between processes
 * # cluster: { lockExpiration: 10 seconds }        # for `poll --runner` (see cluster/Settings.ts)
 * sources:
 *   ca-sos:
 *     every: 60 seconds
 *     config: { endpoints: [/returns/governor, /returns/ballot-measures] }
 *   ballotpedia:
 *     every: 24 hours
 *     config: { datasets: ["1098"], format: csv }
 *   georgia:                            # any installed connector package, as a plugin
 *     use: "@acme/electfeed-georgia"
 *     config: { county: fulton }
 *   clarity-ga:                         # another instance of a connector, under its own name
 *     use: clarity
 * ```
 *
 * A source is the connector its `use` names (a built-in id, an installed package or a workspace
 * connector), or its key when it has none. Secrets never come from the file: each source's secret
 * settings are read from the environment variables the source names. Every problem is reported with the
 * key it is at and what was expected, all at once, one per line.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { Source } from "@electfeed/core"
import { Duration, Effect, Option, Result, Schema, SchemaIssue } from "effect"
import { Yaml } from "effect/encoding"
import {
  ClusterSection,
  type ClusterSettings,
  clusterSettingsOf,
  RateLimitSection,
  type SharedLimits,
  sharedLimitsOf
} from "./cluster/Settings.ts"
import { renamed } from "./Plugins.ts"
import type { Entry } from "./Sync.ts"

/**
 * Finds the source a config entry names (its `use`, or its key), looking from the config file's folder;
 * fails with a message for people.
 *
 * @since 0.2.0
 * @category models
 */
export type Lookup = (name: string, folder: string) => Effect.Effect<Source.Any, { readonly message: string }>

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
    return `${this.file} is not a usable config (see \`electfeed sync --help\` for the format):\n${this.problems.map((problem) => `  ${problem}`).join("\n")}`
  }
}

const SourceSection = Schema.Struct({
  use: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
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
      leaseWait: Schema.optionalKey(Wait),
      changeRetention: Schema.optionalKey(Wait)
    })
  ),
  downloads: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
  rateLimit: Schema.optionalKey(RateLimitSection),
  cluster: Schema.optionalKey(ClusterSection),
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
    /** How long stored changes are kept; `undefined` keeps them all. */
    readonly changeRetention: Duration.Duration | undefined
  }
  readonly downloads: string
  readonly entries: ReadonlyArray<Entry>
  /**
   * Where the sources' rate limits are kept when several processes share them; `undefined`: each
   * process in its own memory.
   *
   * @since 0.2.0
   */
  readonly sharedLimits: SharedLimits | undefined
  /**
   * How `poll --runner` runners coordinate.
   *
   * @since 0.2.0
   */
  readonly cluster: ClusterSettings
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
 * Checks a parsed config document against the sources `lookup` finds and the environment; without a
 * `lookup`, only the store and downloads are checked (what `status` needs), and the sources are left out.
 *
 * @since 0.1.0
 * @category loading
 */
export const check = Effect.fnUntraced(function* (
  document: unknown,
  lookup: Lookup | undefined,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
  folder: string
): Effect.fn.Return<AppConfig, ConfigFileError> {
  const problems: Array<string> = []
  const shape = Schema.decodeUnknownResult(FileShape)(document, { errors: "all", onExcessProperty: "error" })
  if (Result.isFailure(shape)) {
    return yield* new ConfigFileError({ file, problems: problemsOf(shape.failure.issue, []) })
  }
  const parsed = shape.success
  const entries: Array<Entry> = []
  for (const [id, section] of lookup === undefined ? [] : Object.entries(parsed.sources)) {
    const at = ["sources", id]
    const found = yield* Effect.result(lookup!(section.use ?? id, folder))
    if (Result.isFailure(found)) {
      problems.push(`${[...at, ...(section.use === undefined ? [] : ["use"])].join(".")}: ${found.failure.message}`)
      continue
    }
    // Under the entry's name: two entries may use one connector.
    const source = renamed(found.success, id)
    const every = section.every === undefined ? Option.some(source.every) : parseDuration(section.every)
    if (Option.isNone(every)) {
      problems.push(
        `${[...at, "every"].join(".")}: expected a duration such as "60 seconds" or "24 hours", got ${JSON.stringify(section.every)}`
      )
    }
    const raw: Record<string, unknown> = { ...section.config }
    for (const [key, variable] of Object.entries(source.secrets)) {
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
    const config = Schema.decodeUnknownResult(source.configSchema)(raw, {
      errors: "all",
      onExcessProperty: "error"
    })
    if (Result.isFailure(config)) {
      problems.push(...problemsOf(config.failure.issue, [...at, "config"]))
      continue
    }
    if (Option.isSome(every)) entries.push({ source, config: config.success, every: every.value })
  }
  if (problems.length > 0) return yield* new ConfigFileError({ file, problems })
  return {
    store: {
      url: parsed.store?.url ?? defaults.store,
      schema: parsed.store?.schema,
      connectTimeout: parsed.store?.connectTimeout,
      statementTimeout: parsed.store?.statementTimeout,
      leaseTtl: parsed.store?.leaseTtl,
      leaseWait: parsed.store?.leaseWait,
      changeRetention: parsed.store?.changeRetention
    },
    downloads: parsed.downloads ?? defaults.downloads,
    entries,
    sharedLimits: sharedLimitsOf(parsed.rateLimit),
    cluster: clusterSettingsOf(parsed.cluster)
  }
})

/**
 * Reads a config file as a document, unchecked; `.yaml`/`.yml` files are YAML, anything else JSON.
 *
 * @since 0.2.0
 * @category loading
 */
export const readDocument = Effect.fn("AppConfig.readDocument")(function* (
  file: string
): Effect.fn.Return<unknown, ConfigFileError> {
  const text = yield* Effect.try({
    try: () => fs.readFileSync(file, "utf8"),
    catch: (cause) =>
      new ConfigFileError({
        file,
        problems: [(cause as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(cause)]
      })
  })
  return yield* Effect.try({
    try: (): unknown => (/\.ya?ml$/i.test(file) ? Yaml.parse(text) : JSON.parse(text)),
    catch: (cause) =>
      new ConfigFileError({
        file,
        problems: [
          `not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${cause instanceof Error ? cause.message : String(cause)}`
        ]
      })
  })
})

/**
 * Reads and checks a config file (see {@link check} and {@link readDocument}).
 *
 * @since 0.1.0
 * @category loading
 */
export const load = Effect.fn("AppConfig.load")(function* (
  file: string,
  lookup: Lookup | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env
): Effect.fn.Return<AppConfig, ConfigFileError> {
  const document = yield* readDocument(file)
  return yield* check(document, lookup, env, path.basename(file), path.dirname(path.resolve(file)))
})
