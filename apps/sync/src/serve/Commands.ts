/**
 * The commands that show results: `electfeed serve` (the live results page and API) and `electfeed
 * results` (the same contests in the terminal, as a table, CSV or NDJSON). The CLI registers them with
 * its own config flag, error handling and store (see `commands`), and lends `portFlag` and `alongside`
 * to `poll --serve` and `demo --serve`.
 *
 * @since 0.2.0
 */
import { Effect, Layer, Option, type Scope } from "effect"
import { Command, Flag } from "effect/cli"
import type { SqlClient } from "effect/sql"
import type * as AppConfig from "../AppConfig.ts"
import type { Shared } from "../Changes.ts"
import * as Results from "../Results.ts"
import * as Stdout from "../Stdout.ts"
import { Store, type StoreError } from "../store/Store.ts"
import { Queries } from "./Queries.ts"
import * as Server from "./Server.ts"

/**
 * `--port N`, 8080 unless given (0 for any free port).
 *
 * @since 0.2.0
 * @category flags
 */
export const portFlag = Flag.Int("port").pipe(
  Flag.withMetavar("N"),
  Flag.withDescription("The port of the results page and API on 127.0.0.1 (0 for any free port)"),
  Flag.withDefault(8080)
)

/**
 * `--host ADDRESS`, 127.0.0.1 unless given.
 *
 * @since 0.2.0
 * @category flags
 */
export const hostFlag = Flag.String("host").pipe(
  Flag.withMetavar("ADDRESS"),
  Flag.withDescription("The address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)"),
  Flag.withDefault("127.0.0.1")
)

/**
 * The flags `poll` gains: `--serve`, with `--port` and `--host`.
 *
 * @since 0.2.0
 * @category flags
 */
export const serveFlags = {
  serve: Flag.Boolean("serve").pipe(
    Flag.withDescription("Also serve the live results page and API (see `electfeed serve`) while polling"),
    Flag.withDefault(false)
  ),
  port: portFlag,
  host: hostFlag
}

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

const serveCommand = <Extra>(shared: Shared<Extra>) =>
  Command.make("serve", { config: shared.config, port: portFlag, host: hostFlag }, (flags) =>
    shared.action(
      // Untraced: it runs all night.
      Effect.fnUntraced(function* () {
        const config = yield* shared.load(flags.config)
        yield* Server.serve({ port: flags.port, host: flags.host }, told).pipe(
          Effect.provide(Store.layer(config.store))
        )
      })
    )
  ).pipe(
    Command.withDescription(
      "Serve the results: a page of every contest (leader, margin, percent reporting, last update) that updates itself as changes are stored, a page per contest with its votes over time, and a JSON API (contests, a contest's history, changes since a seq, server-sent events of changes, status) described by its OpenAPI document at /api/openapi.json. Run it beside `poll`, or use `poll --serve`."
    ),
    Command.withExamples([
      { command: "electfeed serve --config electfeed.yaml", description: "http://127.0.0.1:8080/" },
      {
        command: "curl -N -H 'Last-Event-ID: 1200' http://127.0.0.1:8080/api/changes/stream",
        description: "Changes after seq 1200, then each one as it is stored"
      }
    ])
  )

const resultsCommand = <Extra>(shared: Shared<Extra>) =>
  Command.make(
    "results",
    {
      config: shared.config,
      source: Flag.String("source").pipe(
        Flag.withMetavar("ID"),
        Flag.withDescription("Only this source's contests, e.g. ca-sos"),
        Flag.optional
      ),
      contest: Flag.String("contest").pipe(
        Flag.withMetavar("ID"),
        Flag.withDescription("Only this contest: the source's contest id (e.g. 02000000000059) or its stored key"),
        Flag.optional
      ),
      office: Flag.String("office").pipe(
        Flag.withMetavar("TEXT"),
        Flag.withDescription("Only contests whose office or title holds this text, any case (e.g. governor)"),
        Flag.optional
      ),
      output: Flag.Literals("output", ["table", "csv", "ndjson"]).pipe(
        Flag.withMetavar("table|csv|ndjson"),
        Flag.withDescription(
          "table for people (by group, as on the results page), csv for spreadsheets, ndjson for programs"
        ),
        Flag.withDefault("table" as const)
      )
    },
    (flags) =>
      shared.action(
        Effect.fn("Cli.results")(function* () {
          const config = yield* shared.load(flags.config)
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
            flags.output === "csv"
              ? Results.csv(rows)
              : flags.output === "ndjson"
                ? Results.ndjson(rows)
                : Results.table(rows)
          yield* Stdout.write(lines.map((line) => `${line}\n`).join(""))
        })
      )
  ).pipe(
    Command.withDescription(
      "The stored contests with their leader, margin (in percentage points), percent reporting and last update, grouped as on the results page: statewide offices, presidential primaries, ballot measures, districts (closest first), judicial retention, then county breakdowns and other contests."
    ),
    Command.withExamples([
      { command: "electfeed results --config electfeed.yaml", description: "Every contest, as a table" },
      {
        command: "electfeed results --config electfeed.yaml --office governor --output csv > governor.csv",
        description: "One office as CSV"
      }
    ])
  )

/**
 * The commands, with what the CLI lends them.
 *
 * @since 0.2.0
 * @category commands
 */
export const commands = <Extra>(shared: Shared<Extra>) => [serveCommand(shared), resultsCommand(shared)] as const
