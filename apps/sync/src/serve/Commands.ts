/**
 * What the commands that show results do: `electfeed serve` (the live results page and API) and
 * `electfeed results` (the same contests in the terminal, as a table, CSV or NDJSON). `Cli.ts` loads this
 * module when one of them runs (their flags are in `cli/StoreCommands.ts`), or `poll --serve`, which runs
 * the results server `alongside` its polling.
 *
 * @since 0.2.0
 */
import { Effect, Layer, Option, type Scope } from "effect"
import type { SqlClient } from "effect/sql"
import * as AppConfig from "../AppConfig.ts"
import type { FlagsOf } from "../cli/Shared.ts"
import type * as StoreCommands from "../cli/StoreCommands.ts"
import * as Results from "../Results.ts"
import * as Stdout from "../Stdout.ts"
import { Store, type StoreError } from "../store/Store.ts"
import { Queries } from "./Queries.ts"
import * as Server from "./Server.ts"

const told = (url: string) =>
  Effect.logInfo(`results page at ${url}/ · API at ${url}/api (described at ${url}/api/openapi.json)`)

/**
 * Runs `effect` with the results server up beside it (for `poll --serve`), stopping the server when
 * it ends.
 *
 * @since 0.2.0
 * @category serving
 */
export const alongside =
  (options: Server.ServeOptions, onListening: (url: string) => Effect.Effect<void> = told) =>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | Server.ServeError | StoreError, Exclude<R, Scope.Scope> | Store | SqlClient.SqlClient> =>
    Effect.scoped(
      Effect.gen(function* () {
        const url = yield* Server.start(options)
        yield* onListening(url)
        return yield* effect
      })
    )

/**
 * Provides the store to `effect` and, with `--serve`, runs the results server beside it.
 *
 * @since 0.2.0
 * @category serving
 */
export const withServer =
  (flags: { readonly serve: boolean; readonly port: number; readonly host: string }, config: AppConfig.AppConfig) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) => {
    const served: Effect.Effect<A, E | Server.ServeError | StoreError, R | Store | SqlClient.SqlClient> = flags.serve
      ? alongside({ port: flags.port, host: flags.host })(effect)
      : effect
    return served.pipe(Effect.provide(Store.layer(config.store)))
  }

const storeLayer = (config: AppConfig.AppConfig) => Layer.provideMerge(Queries.layer, Store.layer(config.store))

/**
 * `electfeed serve`; untraced, as it runs all night.
 *
 * @since 0.2.0
 * @category commands
 */
export const serve = Effect.fnUntraced(function* (flags: FlagsOf<typeof StoreCommands.serve>) {
  // The store alone: no source is loaded, no secret needed.
  const config = yield* AppConfig.load(flags.config, undefined)
  yield* Server.serve({ port: flags.port, host: flags.host }, told).pipe(Effect.provide(Store.layer(config.store)))
})

/**
 * `electfeed results`.
 *
 * @since 0.2.0
 * @category commands
 */
export const results = Effect.fn("Cli.results")(function* (flags: FlagsOf<typeof StoreCommands.results>) {
  const config = yield* AppConfig.load(flags.config, undefined)
  const rows = yield* Effect.gen(function* () {
    const queries = yield* Queries
    return (yield* queries.contests({
      source: Option.getOrUndefined(flags.source),
      contest: Option.getOrUndefined(flags.contest),
      office: Option.getOrUndefined(flags.office)
    })).rows
  }).pipe(Effect.provide(storeLayer(config)))
  if (flags.output === "table" && rows.length === 0) {
    return yield* Stdout.lines("No contests stored match: run `electfeed sync`, or loosen the filters.")
  }
  const lines =
    flags.output === "csv" ? Results.csv(rows) : flags.output === "ndjson" ? Results.ndjson(rows) : Results.table(rows)
  yield* Stdout.write(lines.map((line) => `${line}\n`).join(""))
})
