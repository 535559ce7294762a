#!/usr/bin/env -S node --max-semi-space-size=16
/**
 * The `electfeed` executable.
 *
 * The shebang caps V8's young generation at 16 MB: on long bulk reads V8 otherwise grows it to 128 MB,
 * which is most of the process's memory (see the Ballotpedia benchmark).
 *
 * What is installed and run is this file bundled with the app's modules (`dist/bin/electfeed.js`, see
 * `scripts/bundle.ts`); tests and a checkout without a build run it as it is. Start-up is mostly loading
 * the modules the CLI needs (effect's among them), so Node's compile cache is switched on before they
 * load: they are imported here, not at the top, because static imports would load before it.
 *
 * @since 0.1.0
 */
import * as Module from "node:module"

// Kept in Node's default place (the system's temp directory) unless NODE_COMPILE_CACHE says otherwise.
Module.enableCompileCache?.()

const [NodeRuntime, NodeServices, { Cause, Effect }, { Fatal, run }, Stdout] = await Promise.all([
  import("@effect/platform-node/NodeRuntime"),
  import("@effect/platform-node/NodeServices"),
  import("effect"),
  import("./Cli.ts"),
  import("./Stdout.ts")
])

Stdout.guard()
run(process.argv.slice(2)).pipe(
  Effect.tapCause((cause) =>
    Effect.sync(() => {
      const error = Cause.squash(cause)
      if (error instanceof Fatal) {
        if (error.message !== "") process.stderr.write(`${error.message}\n`)
      } else if (!Cause.hasInterruptsOnly(cause)) {
        process.stderr.write(`electfeed: unexpected failure, please report it:\n${Cause.pretty(cause)}\n`)
      }
    })
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
