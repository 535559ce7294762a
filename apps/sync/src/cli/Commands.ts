/**
 * The commands that read sources, and `sources`, `simulate`, `init` and `demo`, as `--help` shows them: their
 * names, flags and descriptions, without their handlers (which `Cli.ts` adds, each loaded when its
 * command runs).
 *
 * @internal
 */
import { Duration, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Init from "../Init.ts"
import * as Simulate from "../Simulate.ts"
import { builtin } from "../Sources.ts"
import { configFlag } from "./Shared.ts"
import { portFlag, serveFlags } from "./StoreCommands.ts"

/** @internal */
export const sync = Command.make("sync", { config: configFlag }).pipe(
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

/** @internal */
export const poll = Command.make("poll", {
  config: configFlag,
  runner: Flag.String("runner").pipe(
    Flag.withMetavar("HOST:PORT"),
    Flag.withDescription(
      "Join the cluster of the config's PostgreSQL store as a runner listening at HOST:PORT (where the other runners reach it): each source is polled by one runner at a time, and moves to another when its runner dies"
    ),
    Flag.optional
  ),
  ...serveFlags
}).pipe(
  Command.withDescription(
    "Election-night mode: read each source on its own cadence (the config's `every`, e.g. CA SOS every 60 seconds, Ballotpedia daily) until stopped, one line per poll. A poll where nothing changed writes nothing. With --runner, several processes (on one machine or many) share the sources, each polled by one of them at a time (see README: Running on several machines)."
  )
)

/** @internal */
export const status = Command.make("status", { config: configFlag }).pipe(
  Command.withDescription(
    "Per source: the last successful read, the last error, the entities stored and each stream's checkpoint."
  )
)

/** @internal */
export const sources = Command.make("sources", {
  config: Flag.String("config").pipe(
    Flag.withAlias("c"),
    Flag.withMetavar("FILE"),
    Flag.withDescription("Also list the sources this config file uses (default electfeed.yaml, when it exists)"),
    Flag.optional
  )
}).pipe(
  Command.withDescription(
    "The built-in sources and those the config file uses, with their streams, cadence, secrets and config keys."
  )
)

/** @internal */
export const simulate = Command.make("simulate", {
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
}).pipe(
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

/** @internal */
export const init = Command.make("init", {
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
}).pipe(
  Command.withDescription(
    "Write a commented config file for the built-in connectors (and the --use ones), every setting listed."
  )
)

/** @internal */
export const demo = Command.make("demo", {
  store: Flag.String("store").pipe(
    Flag.withMetavar("PATH|URL"),
    Flag.withDescription("Where the demo stores its feed (default .electfeed/demo.db, started afresh)"),
    Flag.withDefault(".electfeed/demo.db")
  ),
  serve: Flag.Boolean("serve").pipe(
    Flag.withDescription("Then keep the results page up (and print its URL) until stopped"),
    Flag.withDefault(false)
  ),
  port: portFlag
}).pipe(
  Command.withDescription(
    "A short election night on this machine: starts the CA SOS and Ballotpedia simulators on 127.0.0.1, loads a Ballotpedia candidates dataset, polls the CA SOS timeline from zero to final (with the pre-election test-data reset), stores it all in SQLite and prints a summary."
  )
)
