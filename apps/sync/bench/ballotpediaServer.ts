/**
 * The Ballotpedia simulator in a process of its own, for `sync.ts`: serves one Candidates dataset of the
 * given number of rows (generated as it is sent) and prints its URL and API key as one JSON line.
 */
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import { Effect, Scope } from "effect"

const rows = Number(process.argv[2])
const scope = await Effect.runPromise(Scope.make())
const sim = await Effect.runPromise(
  Scope.provide(scope)(
    BallotpediaTesting.serve({ datasets: [{ id: "1253", title: "Candidates", kind: "candidates", rows }] })
  )
)
console.log(JSON.stringify({ url: sim.url, apiKey: sim.apiKey }))
