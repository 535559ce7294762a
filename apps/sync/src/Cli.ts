/**
 * The `electfeed` command line.
 *
 * Exit codes: 0 done (also when the reader of stdout went away); 1 a source failed (what it read before
 * failing is kept), or stdout cannot be written; 2 the command line or the config file is wrong (nothing
 * was written); 3 the store cannot be used (it cannot be opened, stopped answering or dropped the
 * connection); 130 stopped by a signal (after the transaction in flight, or after abandoning one the
 * store does not answer).
 *
 * The commands are declared (`cli/Commands.ts`, `cli/StoreCommands.ts`, `ReadCommand.ts`) apart from what
 * they do, which each imports when it runs: `--help` and every command start with their own modules
 * only, not with the store's drivers, the results server or the exporters of the others.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { CliError, Command } from "effect/cli"
import * as Commands from "./cli/Commands.ts"
import { ExitCode, Fatal, type FlagsOf, handler, LogFormat } from "./cli/Shared.ts"
import * as StoreCommands from "./cli/StoreCommands.ts"
import type { LogFormat as Format } from "./Output.ts"
import * as ReadCommand from "./ReadCommand.ts"
import { builtin, type Installed } from "./Sources.ts"

/**
 * What went wrong, for people, with the exit code it ends the process with; the exit codes by name.
 *
 * @since 0.1.0
 * @category errors
 */
export { ExitCode, Fatal }

const readCommand = (sources: ReadonlyArray<readonly [name: string, installed: Installed]>) =>
  Command.make("read").pipe(
    Command.withDescription(
      "Read one source ad hoc and print its events as NDJSON on stdout; no config file, no store. The source is a built-in id, an installed connector package (electfeed read @acme/electfeed-georgia …) or a connector of the workspace (electfeed read <id> for a package made by new-connector). `electfeed read <id> --help` lists its flags and config keys."
    ),
    Command.withSubcommands(sources.map(([name, installed]) => ReadCommand.make(name, installed)))
  )

const rootOf = (readable: ReadonlyArray<readonly [name: string, installed: Installed]>) =>
  Command.make("electfeed").pipe(
    Command.withDescription(
      "One feed from many election-data sources: read a source ad hoc, sync every configured source into SQLite or PostgreSQL, or poll them through election night."
    ),
    Command.withSubcommands([
      readCommand(readable),
      Commands.sync.pipe(Command.withHandler(handler(() => import("./cli/Syncing.ts").then((m) => m.sync)))),
      Commands.poll.pipe(Command.withHandler(handler(() => import("./cli/Syncing.ts").then((m) => m.poll)))),
      Commands.status.pipe(Command.withHandler(handler(() => import("./cli/Syncing.ts").then((m) => m.status)))),
      StoreCommands.changes.pipe(Command.withHandler(handler(() => import("./Changes.ts").then((m) => m.changes)))),
      StoreCommands.pruneChanges.pipe(
        Command.withHandler(handler(() => import("./Changes.ts").then((m) => m.pruneChanges)))
      ),
      StoreCommands.serve.pipe(Command.withHandler(handler(() => import("./serve/Commands.ts").then((m) => m.serve)))),
      StoreCommands.results.pipe(
        Command.withHandler(handler(() => import("./serve/Commands.ts").then((m) => m.results)))
      ),
      StoreCommands.exportResults.pipe(
        Command.withHandler(handler(() => import("./export/Command.ts").then((m) => m.command)))
      ),
      Commands.sources.pipe(Command.withHandler(handler(() => import("./cli/Connectors.ts").then((m) => m.sources)))),
      Commands.simulate.pipe(Command.withHandler(handler(() => import("./cli/Connectors.ts").then((m) => m.simulate)))),
      Commands.init.pipe(Command.withHandler(handler(() => import("./cli/Connectors.ts").then((m) => m.init)))),
      Commands.demo.pipe(
        Command.withHandler(
          handler(() =>
            import("./Demo.ts").then(
              (Demo) =>
                ({ port, serve, store }: FlagsOf<typeof Commands.demo>, logFormat: Format) =>
                  Demo.run({ store, logFormat, ...(serve ? { serve: port } : {}) })
            )
          )
        )
      )
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
    if (Option.isSome(plugin)) {
      const [Plugins, Failure] = yield* Effect.promise(() =>
        Promise.all([import("./Plugins.ts"), import("./cli/Failure.ts")])
      )
      readable.push([plugin.value, yield* Failure.fatal(Plugins.resolve(plugin.value, [process.cwd()]))])
    }
    return yield* Command.runWith(rootOf(readable), { version: "0.1.0" })(args)
  }).pipe(Effect.catchIf(CliError.isCliError, () => Effect.fail(new Fatal("", ExitCode.usage))))
