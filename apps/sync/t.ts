import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Command, Flag, GlobalFlag } from "effect/cli"

const LogFormat = GlobalFlag.Setting("log-format")({
  flag: Flag.Literals("log-format", ["text", "json"]).pipe(
    Flag.withDescription("How logs are written to stderr"),
    Flag.withDefault("text" as const)
  )
})
const sync = Command.make(
  "sync",
  { config: Flag.String("config").pipe(Flag.withDescription("The config file"), Flag.withDefault("electfeed.yaml")) },
  ({ config }) =>
    Effect.gen(function* () {
      const f = yield* LogFormat
      yield* Console.log("sync", config, f)
    })
).pipe(Command.withDescription("One pass over every configured source into the store."))
const caSos = Command.make(
  "ca-sos",
  { endpoint: Flag.String("endpoint").pipe(Flag.atLeast(0)), county: Flag.String("county").pipe(Flag.optional) },
  (x) => Console.log(JSON.stringify(x))
).pipe(Command.withDescription("California SoS"))
const read = Command.make("read").pipe(
  Command.withDescription("Read one source to NDJSON"),
  Command.withSubcommands([caSos])
)
const root = Command.make("electfeed").pipe(
  Command.withDescription("One feed from many election-data sources."),
  Command.withGlobalFlags([LogFormat]),
  Command.withSubcommands([sync, read])
)
Command.runWith(root, { version: "0.1.0" })(process.argv.slice(2)).pipe(
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
