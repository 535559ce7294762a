/**
 * What every command of the CLI shares: its exit codes, the global `--log-format`, `--config`, and how a
 * command's handler is run, loaded from its module only when the command runs (so that `--help` and
 * every other command start without it, nor what it imports).
 *
 * @internal
 */
import { Effect, Runtime } from "effect"
import { type Command, Flag, GlobalFlag } from "effect/cli"
import type { LogFormat as Format } from "../Output.ts"

/**
 * What went wrong, for people, with the exit code it ends the process with.
 *
 * @internal
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
 * @internal
 */
export const ExitCode = { failed: 1, usage: 2, store: 3 } as const

/**
 * Fails a command with a usage error (exit 2) saying `message`.
 *
 * @internal
 */
export const usage = (message: string) => Effect.fail(new Fatal(`electfeed: ${message}`, ExitCode.usage))

/**
 * `--log-format text|json`, for every command.
 *
 * @internal
 */
export const LogFormat = GlobalFlag.Setting("log-format")({
  flag: Flag.Literals("log-format", ["text", "json"]).pipe(
    Flag.withMetavar("text|json"),
    Flag.withDescription("How logs and progress are written to stderr: text for people, json for log collectors"),
    Flag.withDefault("text" as const)
  )
})

/**
 * `--config FILE`, `electfeed.yaml` unless given.
 *
 * @internal
 */
export const configFlag = Flag.String("config").pipe(
  Flag.withAlias("c"),
  Flag.withMetavar("FILE"),
  Flag.withDescription("The config file (YAML or JSON): store, downloads folder, and the sources with their settings"),
  Flag.withDefault("electfeed.yaml")
)

/**
 * The parsed flags of a command declared in `cli/Commands.ts` or `cli/StoreCommands.ts`.
 *
 * @internal
 */
export type FlagsOf<C> =
  C extends Command.Command<infer _Name, infer Flags, infer _Context, infer _E, infer _R> ? Flags : never

/**
 * A command's work, given its flags and the log format.
 *
 * @internal
 */
export type Work<Flags, R> = (flags: Flags, format: Format) => Effect.Effect<void, unknown, R>

/**
 * The handler of a command whose work `load` imports: when the command runs, its failures made
 * readable (with their exit codes) and its logs written to stderr in the chosen format.
 *
 * @internal
 */
export const handler =
  <Flags, R>(load: () => Promise<Work<Flags, R>>) =>
  (flags: Flags) =>
    Effect.gen(function* () {
      const format = yield* LogFormat
      const [work, Failure] = yield* Effect.promise(() => Promise.all([load(), import("./Failure.ts")]))
      return yield* Failure.handled(format, work(flags, format))
    })
