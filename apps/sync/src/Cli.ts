/**
 * The `electfeed` command line.
 *
 * Exit codes: 0 done (also when the reader of stdout went away); 1 a source failed (what it read before
 * failing is kept), or stdout cannot be written; 2 the command line or the config file is wrong (nothing
 * was written); 3 the store cannot be used (it cannot be opened, stopped answering or dropped the
 * connection); 130 stopped by a signal (after the transaction in flight, or after abandoning one the
 * store does not answer).
 *
 * @since 0.1.0
 */
import * as path from "node:path"
import { Download, Progress, Source, SourceError } from "@electfeed/core"
import { Effect, Option, Runtime, Schema } from "effect"
import { CliError, Command, Flag, GlobalFlag } from "effect/cli"
import * as AppConfig from "./AppConfig.ts"
import * as Demo from "./Demo.ts"
import { announce, cadence, type LogFormat as Format, logging, progressReporter } from "./Output.ts"
import { readToStdout } from "./Read.ts"
import { byId, installed } from "./Sources.ts"
import * as Stdout from "./Stdout.ts"
import * as Sync from "./Sync.ts"
import { Store, StoreError } from "./store/Store.ts"

/**
 * What went wrong, for people, with the exit code it ends the process with.
 *
 * @since 0.1.0
 * @category errors
 */
export class Fatal extends Error {
  override readonly [Runtime.errorExitCode]: number
  constructor(message: string, code: number) {
    super(message)
    this[Runtime.errorExitCode] = code
  }
}

/**
 * The exit codes: `failed` when a source failed (or the output could not be written), `usage` for a
 * wrong command line or config file, `store` when the store cannot be used.
 *
 * @since 0.1.0
 * @category errors
 */
export const ExitCode = { failed: 1, usage: 2, store: 3 } as const

const LogFormat = GlobalFlag.Setting("log-format")({
  flag: Flag.Literals("log-format", ["text", "json"]).pipe(
    Flag.withMetavar("text|json"),
    Flag.withDescription("How logs and progress are written to stderr: text for people, json for log collectors"),
    Flag.withDefault("text" as const)
  )
})

const configFlag = Flag.String("config").pipe(
  Flag.withAlias("c"),
  Flag.withMetavar("FILE"),
  Flag.withDescription("The config file (YAML or JSON): store, downloads folder, and the sources with their settings"),
  Flag.withDefault("electfeed.yaml")
)

const baseUrlFlag = (fallback: string) =>
  Flag.String("base-url").pipe(
    Flag.withMetavar("URL"),
    Flag.withDescription(`The API's base URL (default ${fallback}); point it at a simulator or a mirror`),
    Flag.optional
  )

const formatFlag = Flag.Literals("format", ["json", "csv"]).pipe(
  Flag.withMetavar("json|csv"),
  Flag.withDescription("Which of the API's formats to read (both give the same events)"),
  Flag.optional
)

const some = <A>(key: string, option: Option.Option<A>): Record<string, A> =>
  Option.isSome(option) ? { [key]: option.value } : {}

const many = <A>(key: string, values: ReadonlyArray<A>): Record<string, ReadonlyArray<A>> =>
  values.length > 0 ? { [key]: values } : {}

const exitCodeOf = (error: unknown): number =>
  error instanceof AppConfig.ConfigFileError || error instanceof SourceError.ConfigError
    ? ExitCode.usage
    : error instanceof StoreError
      ? ExitCode.store
      : ExitCode.failed

/** Turns every error into a readable message and its exit code. */
const fatal = <A, R>(effect: Effect.Effect<A, unknown, R>): Effect.Effect<A, Fatal, R> =>
  Effect.catch(effect, (error: unknown) =>
    Effect.fail(
      error instanceof Fatal
        ? error
        : new Fatal(`electfeed: ${error instanceof Error ? error.message : String(error)}`, exitCodeOf(error))
    )
  )

/** A command's work, its failures made readable and its logs written to stderr in the chosen format. */
const action = <A, R>(work: (format: Format) => Effect.Effect<A, unknown, R>) =>
  Effect.gen(function* () {
    const format = yield* LogFormat
    return yield* fatal(work(format)).pipe(Effect.provide(logging(format)))
  })

const withServices =
  (format: Format, downloads: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provideService(Progress.ProgressReporter, progressReporter(format)),
      Effect.provideService(Download.DownloadDirectory, path.resolve(downloads)),
      Effect.provide(Source.layer)
    )

const withStore = (config: AppConfig.AppConfig) =>
  Effect.provide(Store.layer(config.store)) as <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | StoreError, Exclude<R, Store>>

const readCaSos = Command.make(
  "ca-sos",
  {
    baseUrl: baseUrlFlag("https://api.sos.ca.gov"),
    endpoint: Flag.String("endpoint").pipe(
      Flag.withMetavar("PATH"),
      Flag.withDescription("An endpoint to read, e.g. /returns/governor or /returns/us-rep/district/all (repeatable)"),
      Flag.atLeast(0)
    ),
    contest: Flag.String("contest").pipe(
      Flag.withMetavar("ID"),
      Flag.withDescription("A 14-digit contest id, read through the batch query, 10 per request (repeatable)"),
      Flag.atLeast(0)
    ),
    county: Flag.String("county").pipe(
      Flag.withMetavar("SLUG"),
      Flag.withDescription("Read the county breakdown of the endpoints, e.g. lake or los-angeles"),
      Flag.optional
    ),
    format: formatFlag
  },
  (flags) =>
    action((format) =>
      readToStdout(
        byId("ca-sos").source,
        {
          ...some("baseUrl", flags.baseUrl),
          ...many("endpoints", flags.endpoint),
          ...many("contests", flags.contest),
          ...some("county", flags.county),
          ...some("format", flags.format)
        },
        format
      )
    )
).pipe(
  Command.withDescription(
    "Read the California Secretary of State's election-night results API and print one ContestResult event per line (NDJSON). Without --endpoint or --contest it reads every statewide, district, measure and judicial family."
  ),
  Command.withExamples([
    { command: "electfeed read ca-sos --endpoint /returns/governor", description: "Statewide governor results" },
    {
      command: "electfeed read ca-sos --endpoint /returns/governor --county lake --format csv",
      description: "Lake County's governor results, read from the CSV form"
    },
    {
      command: "electfeed read ca-sos --contest 02000000000059 --contest 11000001000059",
      description: "Contests by id through the batch query"
    }
  ])
)

const readBallotpedia = Command.make(
  "ballotpedia",
  {
    baseUrl: baseUrlFlag("https://api.ballotpedia.org"),
    dataset: Flag.String("dataset").pipe(
      Flag.withMetavar("ID"),
      Flag.withDescription("A dataset id from getQueryList (repeatable; default: every dataset of your account)"),
      Flag.atLeast(0)
    ),
    format: formatFlag
  },
  (flags) =>
    action((format) => {
      const apiKey = process.env["BALLOTPEDIA_API_KEY"]
      if (apiKey === undefined || apiKey === "") {
        return Effect.fail(new Fatal("electfeed: set BALLOTPEDIA_API_KEY to your Ballotpedia API key", ExitCode.usage))
      }
      return readToStdout(
        byId("ballotpedia").source,
        {
          apiKey,
          ...some("baseUrl", flags.baseUrl),
          ...many("datasets", flags.dataset),
          ...some("format", flags.format)
        },
        format
      )
    })
).pipe(
  Command.withDescription(
    "Download Ballotpedia bulk-data files and print one event per row (NDJSON): Candidate for candidates datasets, Endorsement for endorsements, DatasetRow for any other. The API key is read from BALLOTPEDIA_API_KEY and never printed."
  ),
  Command.withExamples([
    {
      command: "BALLOTPEDIA_API_KEY=... electfeed read ballotpedia --dataset 1098 --format csv",
      description: "One dataset, downloaded as CSV"
    }
  ])
)

const read = Command.make("read").pipe(
  Command.withDescription("Read one source ad hoc and print its events as NDJSON on stdout; no config file, no store."),
  Command.withSubcommands([readCaSos, readBallotpedia])
)

const sync = Command.make("sync", { config: configFlag }, ({ config: file }) =>
  action(
    Effect.fn("Cli.sync")(function* (format: Format) {
      const config = yield* AppConfig.load(file, installed)
      const reports = yield* Sync.syncOnce(config.entries).pipe(
        withServices(format, config.downloads),
        withStore(config)
      )
      for (const report of reports) yield* announce(format)(report)
      const failed = reports.filter((r) => r.error !== undefined)
      if (failed.length > 0) {
        return yield* Effect.fail(
          new Fatal(`electfeed: ${failed.length} of ${reports.length} sources failed`, ExitCode.failed)
        )
      }
    })
  )
).pipe(
  Command.withDescription(
    "Read every source of the config file once and store what changed. Each batch is written with its checkpoint in one transaction, so an interrupted sync resumes where it stopped and never stores a row twice."
  ),
  Command.withExamples([
    { command: "electfeed sync --config electfeed.yaml", description: "One pass over every source" }
  ])
)

const poll = Command.make("poll", { config: configFlag }, ({ config: file }) =>
  // Untraced, as `Sync.poll` is: a span would stay open all night.
  action(
    Effect.fnUntraced(function* (format: Format) {
      const config = yield* AppConfig.load(file, installed)
      yield* Effect.logInfo(
        `polling ${config.entries.map((e) => `${e.source.id} every ${cadence(e.every)}`).join(", ")}; Ctrl-C stops after the transaction in flight`
      )
      yield* Sync.poll(config.entries, announce(format)).pipe(withServices(format, config.downloads), withStore(config))
    })
  )
).pipe(
  Command.withDescription(
    "Election-night mode: read each source on its own cadence (the config's `every`, e.g. CA SOS every 60 seconds, Ballotpedia daily) until stopped, one line per poll. A poll where nothing changed writes nothing."
  )
)

const status = Command.make("status", { config: configFlag }, ({ config: file }) =>
  action(
    Effect.fn("Cli.status")(function* () {
      const config = yield* AppConfig.load(file, installed)
      const rows = yield* Effect.gen(function* () {
        const store = yield* Store
        return yield* store.status
      }).pipe(withStore(config))
      if (rows.length === 0) return yield* Stdout.lines("Nothing stored yet: run `electfeed sync`.")
      for (const row of rows) {
        yield* Stdout.lines(
          `${row.source}`,
          `  last successful read: ${row.lastSuccessAt ?? "never"}`,
          `  last error:           ${row.lastError === undefined ? "none" : `${row.lastError.at} ${row.lastError.message}`}`,
          `  entities stored:      ${row.entities}${row.skippedRows > 0 ? ` (${row.skippedRows} malformed rows kept aside)` : ""}`,
          ...Object.entries(row.checkpoints).map(
            ([stream, state]) => `  checkpoint ${stream}: ${JSON.stringify(state)}`
          )
        )
      }
    })
  )
).pipe(
  Command.withDescription(
    "Per source: the last successful read, the last error, the entities stored and each stream's checkpoint."
  )
)

const sources = Command.make("sources", {}, () =>
  action(() =>
    Effect.forEach(installed, ({ every, secrets, source }) =>
      Effect.gen(function* () {
        const catalog = yield* Option.match(defaultsOf(source), {
          onNone: () => Effect.succeedNone,
          onSome: (config) => source.catalog(config).pipe(Effect.provide(Source.layer), Effect.option)
        })
        yield* Stdout.lines(
          `${source.id}  (${source.connector})`,
          `  ${source.description}`,
          `  polled every ${cadence(every)} by default${
            Object.keys(secrets).length > 0 ? `; secrets from ${Object.values(secrets).join(", ")}` : ""
          }`,
          ...(Option.isSome(catalog)
            ? catalog.value.map((s) => `  stream ${s.name}: ${s.kind}, ${s.mode}, keyed by ${s.key}. ${s.description}`)
            : [
                `  streams: one per dataset, listed by the API at run time (see \`electfeed read ${source.id} --help\`)`
              ])
        )
      })
    )
  )
).pipe(Command.withDescription("The installed sources and their streams."))

/** The config a source has with no settings at all, if it can have one (no required settings). */
const defaultsOf = (source: Source.Any): Option.Option<unknown> =>
  Schema.decodeUnknownOption(source.configSchema as Schema.Decoder<unknown>)({})

const demo = Command.make(
  "demo",
  {
    store: Flag.String("store").pipe(
      Flag.withMetavar("PATH|URL"),
      Flag.withDescription("Where the demo stores its feed (default .electfeed/demo.db, started afresh)"),
      Flag.withDefault(".electfeed/demo.db")
    )
  },
  ({ store }) => action((logFormat) => Demo.run({ store, logFormat }))
).pipe(
  Command.withDescription(
    "A short election night on this machine: starts the CA SOS and Ballotpedia simulators on 127.0.0.1, loads a Ballotpedia candidates dataset, polls the CA SOS timeline from zero to final (with the pre-election test-data reset), stores it all in SQLite and prints a summary."
  )
)

const root = Command.make("electfeed").pipe(
  Command.withDescription(
    "One feed from many election-data sources: read a source ad hoc, sync every configured source into SQLite or PostgreSQL, or poll them through election night."
  ),
  Command.withSubcommands([read, sync, poll, status, sources, demo]),
  Command.withGlobalFlags([LogFormat])
)

/**
 * Runs the command line `args` (without the node and script paths). Every failure comes out as a
 * {@link Fatal} with its exit code; usage errors were already printed, with the help, by the parser.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>) =>
  Command.runWith(root, { version: "0.1.0" })(args).pipe(
    Effect.catchIf(CliError.isCliError, () => Effect.fail(new Fatal("", ExitCode.usage)))
  )
