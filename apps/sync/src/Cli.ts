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
import * as fs from "node:fs"
import * as path from "node:path"
import { Download, Progress, Source, SourceError } from "@electfeed/core"
import { Duration, Effect, Option, Result, Runtime } from "effect"
import { Argument, CliError, Command, Flag, GlobalFlag } from "effect/cli"
import * as AppConfig from "./AppConfig.ts"
import * as Changes from "./Changes.ts"
import { limiterLayer } from "./cluster/Settings.ts"
import * as Export from "./export/Command.ts"
import * as Init from "./Init.ts"
import { announce, cadence, type LogFormat as Format, logging, progressReporter } from "./Output.ts"
import * as Plugins from "./Plugins.ts"
import * as ReadCommand from "./ReadCommand.ts"
import * as Simulate from "./Simulate.ts"
import * as SourceList from "./SourceList.ts"
import { builtin, type Installed } from "./Sources.ts"
import * as Stdout from "./Stdout.ts"
import * as Sync from "./Sync.ts"
import * as ServeCommands from "./serve/Commands.ts"
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

/** What `action` adds to a command's needs: the global `--log-format` setting. */
type WithLogFormat = GlobalFlag.Setting.Identifier<"log-format">

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

const exitCodeOf = (error: unknown): number =>
  error instanceof AppConfig.ConfigFileError ||
  error instanceof SourceError.ConfigError ||
  error instanceof Plugins.PluginError ||
  error instanceof Init.InitError
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
  (format: Format, config: AppConfig.AppConfig) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provideService(Progress.ProgressReporter, progressReporter(format)),
      Effect.provideService(Download.DownloadDirectory, path.resolve(config.downloads)),
      // A shared limiter, when the config has one, in place of Source.layer's in-memory one.
      Effect.provide(limiterLayer(config.sharedLimits)),
      Effect.provide(Source.layer)
    )

const withStore = (config: AppConfig.AppConfig) =>
  Effect.provide(Store.layer(config.store)) as <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | StoreError, Exclude<R, Store>>

/** Finds a config entry's source, from the config file's folder and the current directory. */
const lookup: AppConfig.Lookup = (name, folder) =>
  Effect.map(Plugins.resolve(name, [folder, process.cwd()]), (installed) => installed.source)

const readCommand = (sources: ReadonlyArray<readonly [name: string, installed: Installed]>) =>
  Command.make("read").pipe(
    Command.withDescription(
      "Read one source ad hoc and print its events as NDJSON on stdout; no config file, no store. The source is a built-in id, an installed connector package (electfeed read @acme/electfeed-georgia …) or a connector of the workspace (electfeed read <id> for a package made by new-connector). `electfeed read <id> --help` lists its flags and config keys."
    ),
    Command.withSubcommands(
      sources.map(([name, installed]) => ReadCommand.make(name, installed, (work) => action(work)))
    )
  )

const sync = Command.make("sync", { config: configFlag }, ({ config: file }) =>
  action(
    Effect.fn("Cli.sync")(function* (format: Format) {
      const config = yield* AppConfig.load(file, lookup)
      const reports = yield* Sync.syncOnce(config.entries).pipe(withServices(format, config), withStore(config))
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
    [
      "Read every source of the config file once and store what changed. Each batch is written with its checkpoint in one transaction, so an interrupted sync resumes where it stopped and never stores a row twice.",
      "",
      "  The config file (`electfeed init` writes this one):",
      "",
      ...Init.configText(builtin, () => true)
        .trimEnd()
        .split("\n")
        .map((line) => `    ${line}`)
    ].join("\n")
  ),
  Command.withExamples([
    { command: "electfeed sync --config electfeed.yaml", description: "One pass over every source" }
  ])
)

const runnerFlag = Flag.String("runner").pipe(
  Flag.withMetavar("HOST:PORT"),
  Flag.withDescription(
    "Join the cluster of the config's PostgreSQL store as a runner listening at HOST:PORT (where the other runners reach it): each source is polled by one runner at a time, and moves to another when its runner dies"
  ),
  Flag.optional
)

const poll = Command.make(
  "poll",
  { config: configFlag, runner: runnerFlag, ...ServeCommands.serveFlags },
  ({ config: file, runner, ...serving }) =>
    // Untraced, as `Sync.poll` is: a span would stay open all night.
    action(
      Effect.fnUntraced(function* (format: Format) {
        const config = yield* AppConfig.load(file, lookup)
        yield* Effect.logInfo(
          `polling ${config.entries.map((e) => `${e.source.id} every ${cadence(e.every)}`).join(", ")}; Ctrl-C stops after the transaction in flight`
        )
        const polling = Effect.gen(function* () {
          if (Option.isNone(runner)) return yield* Sync.poll(config.entries, announce(format))
          // Loaded only for a runner: the cluster's modules cost a single process nothing.
          const Runner = yield* Effect.promise(() => import("./cluster/Runner.ts"))
          const address = Runner.parseAddress(runner.value)
          if (Result.isFailure(address)) {
            return yield* Effect.fail(new Fatal(`electfeed: ${address.failure}`, ExitCode.usage))
          }
          return yield* Runner.run(config, file, address.success, announce(format))
        })
        yield* polling.pipe(withServices(format, config), ServeCommands.withServer(serving, config))
      })
    )
).pipe(
  Command.withDescription(
    "Election-night mode: read each source on its own cadence (the config's `every`, e.g. CA SOS every 60 seconds, Ballotpedia daily) until stopped, one line per poll. A poll where nothing changed writes nothing. With --runner, several processes (on one machine or many) share the sources, each polled by one of them at a time (see README: Running on several machines)."
  )
)

const status = Command.make("status", { config: configFlag }, ({ config: file }) =>
  action(
    Effect.fn("Cli.status")(function* () {
      // The store alone: no source is loaded, no secret needed.
      const config = yield* AppConfig.load(file, undefined)
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

const sources = Command.make(
  "sources",
  {
    config: Flag.String("config").pipe(
      Flag.withAlias("c"),
      Flag.withMetavar("FILE"),
      Flag.withDescription("Also list the sources this config file uses (default electfeed.yaml, when it exists)"),
      Flag.optional
    )
  },
  ({ config }) =>
    action(
      Effect.fn("Cli.sources")(function* () {
        const file = Option.getOrElse(config, () => "electfeed.yaml")
        const plugins = Option.isSome(config) || fs.existsSync(file) ? yield* SourceList.configured(file) : []
        for (const { installed, name } of [...builtin.map((b) => ({ installed: b, name: b.source.id })), ...plugins]) {
          yield* Stdout.lines(...(yield* SourceList.describe(installed, name)))
        }
      })
    )
).pipe(
  Command.withDescription(
    "The built-in sources and those the config file uses, with their streams, cadence, secrets and config keys."
  )
)

const simulate = Command.make(
  "simulate",
  {
    source: Argument.String("source").pipe(
      Argument.withDescription("A built-in id, an installed connector package, or a connector of the workspace")
    ),
    port: Flag.Int("port").pipe(
      Flag.withMetavar("N"),
      Flag.withDescription("The port on 127.0.0.1 (default: any free one)"),
      Flag.optional
    ),
    timeline: Flag.Boolean("timeline").pipe(
      Flag.withDescription("Start at the first update of election night and move on to the next one every --every"),
      Flag.withDefault(false)
    ),
    every: Flag.String("every").pipe(
      Flag.withMetavar("DURATION"),
      Flag.withDescription("How long each update of --timeline is served (default 30 seconds)"),
      Flag.mapTryCatch(
        (text) => Option.getOrThrow(Option.filter(Duration.fromInput(text as Duration.Input), Duration.isPositive)),
        () => "expected a duration such as 30 seconds"
      ),
      Flag.withDefault(Simulate.defaultEvery)
    )
  },
  ({ every, port, source, timeline }) =>
    action(
      Effect.fn("Cli.simulate")(function* () {
        const installed = yield* Plugins.resolve(source, [process.cwd()])
        return yield* Simulate.run(installed, { port, timeline, every })
      })
    )
).pipe(
  Command.withDescription(
    "Serve a connector's API simulator on 127.0.0.1 until stopped (Ctrl-C): prints its base URL, for `electfeed read <id> --base-url URL` or a config's baseUrl."
  ),
  Command.withExamples([
    { command: "electfeed simulate ca-sos --port 8080", description: "The CA SOS API with final results" },
    {
      command: "electfeed simulate ca-sos --timeline --every '10 seconds'",
      description: "Election night, a new update every 10 seconds"
    }
  ])
)

const init = Command.make(
  "init",
  {
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withMetavar("FILE"),
      Flag.withDescription("Where to write the config (default electfeed.yaml); an existing file is never replaced"),
      Flag.withDefault("electfeed.yaml")
    ),
    use: Flag.String("use").pipe(
      Flag.withMetavar("PACKAGE"),
      Flag.withDescription("Also configure this installed connector package or workspace connector (repeatable)"),
      Flag.atLeast(0)
    )
  },
  ({ output, use }) =>
    action(
      Effect.fn("Cli.init")(function* () {
        const plugins = yield* Effect.forEach(use, (name) => Plugins.resolve(name, [process.cwd()]))
        yield* Init.write(
          output,
          Init.configText([...builtin, ...plugins], (i) => builtin.includes(i))
        )
        yield* Effect.logInfo(`wrote ${output}: edit its sources, then run electfeed sync --config ${output}`)
      })
    )
).pipe(
  Command.withDescription(
    "Write a commented config file for the built-in connectors (and the --use ones), every setting listed."
  )
)

const demo = Command.make(
  "demo",
  {
    store: Flag.String("store").pipe(
      Flag.withMetavar("PATH|URL"),
      Flag.withDescription("Where the demo stores its feed (default .electfeed/demo.db, started afresh)"),
      Flag.withDefault(".electfeed/demo.db")
    ),
    serve: Flag.Boolean("serve").pipe(
      Flag.withDescription("Then keep the results page up (and print its URL) until stopped"),
      Flag.withDefault(false)
    ),
    port: ServeCommands.portFlag
  },
  ({ port, serve, store }) =>
    action((logFormat) =>
      // Loaded when the demo runs: its simulators and results page cost every other command's start-up.
      Effect.flatMap(
        Effect.promise(() => import("./Demo.ts")),
        (Demo) => Demo.run({ store, logFormat, ...(serve ? { serve: port } : {}) })
      )
    )
).pipe(
  Command.withDescription(
    "A short election night on this machine: starts the CA SOS and Ballotpedia simulators on 127.0.0.1, loads a Ballotpedia candidates dataset, polls the CA SOS timeline from zero to final (with the pre-election test-data reset), stores it all in SQLite and prints a summary."
  )
)

const rootOf = (readable: ReadonlyArray<readonly [name: string, installed: Installed]>) =>
  Command.make("electfeed").pipe(
    Command.withDescription(
      "One feed from many election-data sources: read a source ad hoc, sync every configured source into SQLite or PostgreSQL, or poll them through election night."
    ),
    Command.withSubcommands([
      readCommand(readable),
      sync,
      poll,
      status,
      ...Changes.commands<WithLogFormat>({
        config: configFlag,
        // The store alone: following changes needs no source and no secret.
        load: (file) => AppConfig.load(file, undefined),
        action,
        withStore,
        usage: (message) => Effect.fail(new Fatal(`electfeed: ${message}`, ExitCode.usage))
      }),
      ...ServeCommands.commands<WithLogFormat>({
        config: configFlag,
        // The store alone: no source is loaded, no secret needed.
        load: (file) => AppConfig.load(file, undefined),
        action,
        withStore,
        usage: (message) => Effect.fail(new Fatal(`electfeed: ${message}`, ExitCode.usage))
      }),
      Export.command<WithLogFormat>({ config: configFlag, action, withStore }),
      sources,
      simulate,
      init,
      demo
    ]),
    Command.withGlobalFlags([LogFormat])
  )

/**
 * The source `args` read when it is not a built-in one (`read @acme/electfeed-georgia …`, `read acme`),
 * so that its subcommand, made from its flags, can be added before the command line is parsed.
 */
const pluginToRead = (args: ReadonlyArray<string>): Option.Option<string> => {
  // Skips the global flags (and their values) before the command.
  let at = 0
  while (at < args.length && args[at]!.startsWith("-")) at += args[at]!.includes("=") ? 1 : 2
  const name = args[at + 1]
  return args[at] === "read" &&
    name !== undefined &&
    !name.startsWith("-") &&
    !builtin.some((b) => b.source.id === name)
    ? Option.some(name)
    : Option.none()
}

/**
 * Runs the command line `args` (without the node and script paths). Every failure comes out as a
 * {@link Fatal} with its exit code; usage errors were already printed, with the help, by the parser.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const plugin = pluginToRead(args)
    const readable = builtin.map((installed) => [installed.source.id, installed] as const)
    if (Option.isSome(plugin))
      readable.push([plugin.value, yield* fatal(Plugins.resolve(plugin.value, [process.cwd()]))])
    return yield* Command.runWith(rootOf(readable), { version: "0.1.0" })(args)
  }).pipe(Effect.catchIf(CliError.isCliError, () => Effect.fail(new Fatal("", ExitCode.usage))))
