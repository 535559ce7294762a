/** The connectors' simulators, started for a whole test file (the CLI runs in child processes). */
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Effect, Exit, Scope } from "effect"

export const startCaSos = async (options?: CaSosTesting.Options) => {
  const scope = await Effect.runPromise(Scope.make())
  const sim = await Effect.runPromise(Scope.provide(scope)(CaSosTesting.serve(options)))
  return { sim, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export const startBallotpedia = async (options?: BallotpediaTesting.Simulator.ServeOptions) => {
  const scope = await Effect.runPromise(Scope.make())
  const sim = await Effect.runPromise(Scope.provide(scope)(BallotpediaTesting.serve(options)))
  return { sim, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}
