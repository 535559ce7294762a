#!/usr/bin/env node
/**
 * The `electfeed` executable.
 *
 * @since 0.1.0
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Effect } from "effect"
import { Fatal, run } from "./Cli.ts"

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
