/**
 * A command's failures, made readable with their exit codes. Loaded with the first handler that runs:
 * telling errors apart needs their classes, and so the modules that make them.
 *
 * @internal
 */
import { SourceError } from "@electfeed/core"
import { Effect } from "effect"
import * as AppConfig from "../AppConfig.ts"
import * as Init from "../Init.ts"
import { type LogFormat, logging } from "../Output.ts"
import * as Plugins from "../Plugins.ts"
import { StoreError } from "../store/StoreError.ts"
import { ExitCode, Fatal } from "./Shared.ts"

const exitCodeOf = (error: unknown): number =>
  error instanceof AppConfig.ConfigFileError ||
  error instanceof SourceError.ConfigError ||
  error instanceof Plugins.PluginError ||
  error instanceof Init.InitError
    ? ExitCode.usage
    : error instanceof StoreError
      ? ExitCode.store
      : ExitCode.failed

/**
 * Turns every error into a readable message and its exit code.
 *
 * @internal
 */
export const fatal = <A, R>(effect: Effect.Effect<A, unknown, R>): Effect.Effect<A, Fatal, R> =>
  Effect.catch(effect, (error: unknown) =>
    Effect.fail(
      error instanceof Fatal
        ? error
        : new Fatal(`electfeed: ${error instanceof Error ? error.message : String(error)}`, exitCodeOf(error))
    )
  )

/**
 * A command's work, its failures made readable and its logs written to stderr in `format`.
 *
 * @internal
 */
export const handled = <A, R>(format: LogFormat, work: Effect.Effect<A, unknown, R>) =>
  fatal(work).pipe(Effect.provide(logging(format)))
