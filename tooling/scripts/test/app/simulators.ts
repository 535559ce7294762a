/**
 * Both connectors' simulators, started from their packages' `testing` entries by an app installed with
 * npm: prints `{ caSos, ballotpedia, apiKey }` as one line of JSON once they listen, and serves until
 * stopped (SIGINT or SIGTERM), when it closes them.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Console, Effect } from "effect"

const program = Effect.gen(function* () {
  const caSos = yield* CaSosTesting.serve()
  const ballotpedia = yield* BallotpediaTesting.serve()
  yield* Console.log(JSON.stringify({ caSos: caSos.url, ballotpedia: ballotpedia.url, apiKey: ballotpedia.apiKey }))
  return yield* Effect.never
}).pipe(Effect.scoped)

NodeRuntime.runMain(program)
