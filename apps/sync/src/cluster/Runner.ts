/**
 * `electfeed poll --runner HOST:PORT`: polling spread over several processes (on one machine or many)
 * with Effect Cluster.
 *
 * Every runner joins the cluster whose members and shard locks live in the config's PostgreSQL store
 * (tables `electfeed_cluster_*`, in the store's schema). Each configured source's poll loop is a cluster
 * singleton: exactly one runner polls it, on its cadence, and when that runner dies (or stops answering
 * for `lockExpiration`) another one takes the loop over. A runner that cannot renew its locks in time
 * stops its loops before another runner may take them, so a source is never polled by two runners at
 * once. The store's per-source lease stays in force underneath, as it does for two `sync` processes.
 *
 * A poll that fails is reported like any other; a loop that fails (the store out of reach) says so and
 * starts again on the source's cadence, so one source's trouble never stops the runner.
 *
 * @since 0.2.0
 */

import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import type { Source } from "@electfeed/core"
import { Cause, Duration, Effect, Layer, Option, Result, Schedule, Schema, type Scope } from "effect"
import {
  MessageStorage,
  RunnerAddress,
  type Runners,
  type Sharding,
  ShardingConfig,
  Singleton,
  SqlRunnerStorage
} from "effect/cluster"
import type { SqlClient } from "effect/sql"
import * as AppConfig from "../AppConfig.ts"
import { type Entry, pollEntry, type Report } from "../Sync.ts"
import type { Store } from "../store/Store.ts"
import type { ClusterSettings } from "./Settings.ts"

/**
 * The runner tables' prefix: `electfeed_cluster_runners`, `electfeed_cluster_locks`, …, beside the
 * store's own tables.
 *
 * @since 0.2.0
 * @category models
 */
export const tablePrefix = "electfeed_cluster"

/**
 * Where a runner listens, and where the other runners reach it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Address {
  readonly host: string
  readonly port: number
}

/**
 * Reads `HOST:PORT` (`[::1]:34001` for IPv6); a failure says what is wrong.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parseAddress = (text: string): Result.Result<Address, string> => {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim())
  const port = Number(match?.[3])
  const host = match?.[1] ?? match?.[2]
  if (match === null || host === undefined || !(port >= 1 && port <= 65_535)) {
    return Result.fail(`--runner: expected HOST:PORT with a port from 1 to 65535, got ${JSON.stringify(text)}`)
  }
  return Result.succeed({ host, port })
}

/**
 * The runner could not join the cluster: its port is taken, or the cluster tables cannot be made.
 *
 * @since 0.2.0
 * @category errors
 */
export class RunnerError extends Schema.TaggedError<RunnerError>()("RunnerError", {
  address: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `runner ${this.address}: ${this.detail}`
  }
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url)

const format = (address: Address) =>
  address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`

const shardingConfig = (
  address: Address,
  settings: ClusterSettings
): Partial<ShardingConfig.ShardingConfig["Service"]> => ({
  runnerAddress: Option.some(RunnerAddress.make(address.host, address.port)),
  shardsPerGroup: settings.shards,
  shardLockExpiration: settings.lockExpiration,
  // effect never renews less often than three times per expiration.
  shardLockRefreshInterval: settings.lockRefresh,
  refreshAssignmentsInterval: settings.assignmentRefresh,
  runnerHealthCheckInterval: settings.healthCheck
})

/**
 * The cluster a runner joins: socket runners, their registrations and shard locks in the store's
 * database. A singleton takes no messages, so none are stored.
 */
const clusterLayer = (address: Address, settings: ClusterSettings) => {
  const config = shardingConfig(address, settings)
  const runnerStorage = SqlRunnerStorage.layerWith({ prefix: tablePrefix }).pipe(
    Layer.provide(ShardingConfig.layerFromEnv(config))
  )
  return NodeClusterSocket.layer({ storage: "byo", shardingConfig: config }).pipe(
    Layer.provide(Layer.merge(runnerStorage, MessageStorage.layerNoop))
  )
}

/** One source's poll loop as a singleton: it runs on one runner at a time, and never stops for an error. */
const singleton = <E, R>(
  entry: Entry,
  runner: string,
  onReport: (report: Report, round: number) => Effect.Effect<void, E, R>
) => {
  const id = entry.source.id
  const loop = pollEntry(entry, onReport).pipe(
    Effect.tapCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.void
        : Effect.logWarning(`${id}: the poll loop failed; it starts again in ${Duration.format(entry.every)}`, cause)
    ),
    Effect.retry(Schedule.spaced(entry.every)),
    Effect.asVoid
  )
  return Singleton.make(
    `electfeed/poll/${id}`,
    Effect.logInfo(`runner ${runner} polls ${id}`).pipe(
      Effect.andThen(loop),
      Effect.ensuring(Effect.logInfo(`runner ${runner} stopped polling ${id}`))
    )
  )
}

/**
 * Joins the cluster as a runner at `address` and runs the poll loops this runner is given, until
 * interrupted. The store must be PostgreSQL (a `ConfigFileError` otherwise): it is where the runners
 * meet.
 *
 * @since 0.2.0
 * @category running
 */
export const run = <E, R>(
  config: AppConfig.AppConfig,
  file: string,
  address: Address,
  onReport: (report: Report, round: number) => Effect.Effect<void, E, R>
): Effect.Effect<
  never,
  AppConfig.ConfigFileError | RunnerError,
  SqlClient.SqlClient | Store | Exclude<Exclude<R, Scope.Scope>, Runners.Runners | Sharding.Sharding> | Source.Services
> => {
  const runner = format(address)
  if (!isPostgres(config.store.url)) {
    return Effect.fail(
      new AppConfig.ConfigFileError({
        file,
        problems: [
          "store.url: --runner needs a PostgreSQL store (postgres://…), where the runners meet; a SQLite file cannot be shared between machines"
        ]
      })
    )
  }
  const singletons = Layer.mergeAll(Layer.empty, ...config.entries.map((entry) => singleton(entry, runner, onReport)))
  return Effect.logInfo(
    `runner ${runner} joins the cluster (${config.entries.map((e) => e.source.id).join(", ")}); Ctrl-C hands its sources over`
  ).pipe(
    Effect.andThen(Layer.launch(singletons.pipe(Layer.provide(clusterLayer(address, config.cluster))))),
    Effect.mapError((error) => new RunnerError({ address: runner, detail: error.message }))
  )
}
