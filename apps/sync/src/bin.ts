#!/usr/bin/env -S node --max-semi-space-size=16
/**
 * The `electfeed` executable.
 *
 * The shebang caps V8's young generation at 16 MB: on long bulk reads V8 otherwise grows it to 128 MB,
 * which is most of the process's memory (see the Ballotpedia benchmark).
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cause, Effect } from "effect"
import { Fatal, run } from "./Cli.ts"
import * as Stdout from "./Stdout.ts"

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
