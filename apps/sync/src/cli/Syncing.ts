/**
 * What `sync`, `poll` and `status` do (declared in `cli/Commands.ts`): loaded when one of them runs.
 *
 * @internal
 */
import * as path from "node:path"
import { Download, Progress, Source } from "@electfeed/core"
import { Effect, Option, Result } from "effect"
import * as AppConfig from "../AppConfig.ts"
import { limiterLayer } from "../cluster/Settings.ts"
import { announce, cadence, type LogFormat, progressReporter } from "../Output.ts"
import * as Plugins from "../Plugins.ts"
import * as Stdout from "../Stdout.ts"
import * as Sync from "../Sync.ts"
import { withServer } from "../serve/Commands.ts"
import { Store } from "../store/Store.ts"
import type * as Commands from "./Commands.ts"
import { ExitCode, Fatal, type FlagsOf, usage } from "./Shared.ts"

const withServices =
  (format: LogFormat, config: AppConfig.AppConfig) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provideService(Progress.ProgressReporter, progressReporter(format)),
      Effect.provideService(Download.DownloadDirectory, path.resolve(config.downloads)),
      // A shared limiter, when the config has one, in place of Source.layer's in-memory one.
      Effect.provide(limiterLayer(config.sharedLimits)),
      Effect.provide(Source.layer)
    )

/** Finds a config entry's source, from the config file's folder and the current directory. */
const lookup: AppConfig.Lookup = (name, folder) =>
  Effect.map(Plugins.resolve(name, [folder, process.cwd()]), (installed) => installed.source)

/** @internal */
export const sync = Effect.fn("Cli.sync")(function* (
  { config: file }: FlagsOf<typeof Commands.sync>,
  format: LogFormat
) {
  const config = yield* AppConfig.load(file, lookup)
  const reports = yield* Sync.syncOnce(config.entries).pipe(
    withServices(format, config),
    Effect.provide(Store.layer(config.store))
  )
  for (const report of reports) yield* announce(format)(report)
  const failed = reports.filter((r) => r.error !== undefined)
  if (failed.length > 0) {
    return yield* Effect.fail(
      new Fatal(`electfeed: ${failed.length} of ${reports.length} sources failed`, ExitCode.failed)
    )
  }
})

/**
 * Untraced, as `Sync.poll` is: a span would stay open all night.
 *
 * @internal
 */
export const poll = Effect.fnUntraced(function* (
  { config: file, runner, ...serving }: FlagsOf<typeof Commands.poll>,
  format: LogFormat
) {
  const config = yield* AppConfig.load(file, lookup)
  yield* Effect.logInfo(
    `polling ${config.entries.map((e) => `${e.source.id} every ${cadence(e.every)}`).join(", ")}; Ctrl-C stops after the transaction in flight`
  )
  const polling = Effect.gen(function* () {
    if (Option.isNone(runner)) return yield* Sync.poll(config.entries, announce(format))
    // Loaded only for a runner: the cluster's modules cost a single process nothing.
    const Runner = yield* Effect.promise(() => import("../cluster/Runner.ts"))
    const address = Runner.parseAddress(runner.value)
    if (Result.isFailure(address)) return yield* usage(address.failure)
    return yield* Runner.run(config, file, address.success, announce(format))
  })
  yield* polling.pipe(withServices(format, config), withServer(serving, config))
})

/** @internal */
export const status = Effect.fn("Cli.status")(function* ({ config: file }: FlagsOf<typeof Commands.status>) {
  // The store alone: no source is loaded, no secret needed.
  const config = yield* AppConfig.load(file, undefined)
  const rows = yield* Effect.gen(function* () {
    const store = yield* Store
    return yield* store.status
  }).pipe(Effect.provide(Store.layer(config.store)))
  if (rows.length === 0) return yield* Stdout.lines("Nothing stored yet: run `electfeed sync`.")
  for (const row of rows) {
    yield* Stdout.lines(
      `${row.source}`,
      `  last successful read: ${row.lastSuccessAt ?? "never"}`,
      `  last error:           ${row.lastError === undefined ? "none" : `${row.lastError.at} ${row.lastError.message}`}`,
      `  entities stored:      ${row.entities}${row.skippedRows > 0 ? ` (${row.skippedRows} malformed rows kept aside)` : ""}`,
      ...Object.entries(row.checkpoints).map(([stream, state]) => `  checkpoint ${stream}: ${JSON.stringify(state)}`)
    )
  }
})
