/**
 * The CA SOS simulator (final results) in a process of its own, for `poll.ts`: prints its URL, then the
 * number of requests it has answered, a line whenever asked (any line on stdin).
 */
import * as readline from "node:readline"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Effect, Scope } from "effect"

const scope = await Effect.runPromise(Scope.make())
const sim = await Effect.runPromise(Scope.provide(scope)(CaSosTesting.serve()))
console.log(sim.url)
readline.createInterface({ input: process.stdin }).on("line", () => console.log(sim.requests.length))
