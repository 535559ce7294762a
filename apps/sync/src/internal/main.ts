/**
 * What `electfeed` runs, once `bin.ts` has switched Node's compile cache on: the CLI, with its failures
 * written to stderr and its exit code set.
 *
 * @internal
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cause, Effect } from "effect"
import { Fatal, run } from "../Cli.ts"
import * as Stdout from "../Stdout.ts"

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
