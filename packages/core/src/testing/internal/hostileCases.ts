import { Cause, Duration, Effect, Exit, Redacted } from "effect"
import * as Source from "../../Source.ts"
import { isSourceError, RateLimited, type SourceError } from "../../SourceError.ts"
import type { SuiteOptions } from "../Conformance.ts"
import * as Simulator from "../Simulator.ts"
import { expect, type Unmet, unmet } from "./expect.ts"
import { type CaseSpec, failureOf, type Read, waitUntil, withVirtualTime } from "./harness.ts"

/** Faults stay on for every request they match: no retry can step around them. */
const persistent = { times: 1_000_000 }

/**
 * More than any read should take from a server that never ends its body: four times the client's default
 * `maxBodyBytes`. (A bulk source's download cap, in the suite's config, must be lower.)
 */
const byteLimit = 256 * 1024 * 1024

/** More requests than any read makes, its retries included: a loop that never ends. */
const requestLimit = 1000

type Outcome =
  | { readonly _tag: "Ended"; readonly exit: Exit.Exit<ReadonlyArray<Source.ReadItem>, SourceError> }
  | { readonly _tag: "Hung"; readonly why: string }

/** Every `Redacted` value of a config: what no foreign server may ever see. */
const secretsOf = (value: unknown, depth = 0): Array<string> => {
  if (Redacted.isRedacted(value)) {
    const secret = Redacted.value(value)
    return typeof secret === "string" && secret.length > 0 ? [secret] : []
  }
  if (depth > 8 || value === null || typeof value !== "object") return []
  return Object.values(value).flatMap((inner) => secretsOf(inner, depth + 1))
}

const carries = (request: Simulator.LoggedRequest, secrets: ReadonlyArray<string>) =>
  secrets.some(
    (secret) =>
      request.query.includes(secret) ||
      request.body.includes(secret) ||
      Object.values(request.headers).some((value) => value?.includes(secret))
  )

const bytesSent = (sim: Simulator.Simulator) => sim.requests.reduce((sum, request) => sum + request.bytesSent, 0)

const endedTyped = (outcome: Outcome, what: string): Effect.Effect<SourceError, Unmet> => {
  if (outcome._tag === "Hung") return unmet(`the read did not end against ${what}: ${outcome.why}`)
  const exit = outcome.exit
  if (Exit.isSuccess(exit)) {
    // A source that skips malformed rows reports bad input that way, typed, and goes on.
    const skipped = exit.value.find((item) => item._tag === "Skipped")
    return skipped?._tag === "Skipped" ? Effect.succeed(skipped.error) : unmet(`the read succeeded against ${what}`)
  }
  if (Cause.hasDies(exit.cause)) return unmet(`the read died against ${what}: ${Cause.pretty(exit.cause)}`)
  const error = failureOf(exit)
  return error !== undefined && isSourceError(error)
    ? Effect.succeed(error)
    : unmet(`the read failed untyped against ${what}: ${Cause.pretty(exit.cause)}`)
}

/**
 * Declares the hostile cases of the conformance suite: each fault stays on for every request it matches,
 * and the read must end (in virtual time, before 256 MiB of body and a thousand requests) in a
 * typed `SourceError` (a failure, or a row reported and skipped), never a defect, never a hang.
 */
export const hostileCases = <Config>(
  options: SuiteOptions<Config>,
  readOnce: Read<Config>
): ReadonlyArray<CaseSpec> => {
  const { source } = options
  const suiteStep = Duration.fromInputUnsafe(options.timeStep ?? "20 millis")
  const target = options.faultTarget ?? (() => true)
  const fileTarget = options.fileTarget ?? target
  const hangAfter = Duration.fromInputUnsafe(options.maxReadTime ?? "2 hours")
  // Cases whose waits are long (timeouts of minutes) move virtual time faster, to take a second or so.
  const stepOf = (step: Duration.Input | undefined) =>
    step === undefined ? suiteStep : Duration.max(suiteStep, Duration.fromInputUnsafe(step))

  const readBounded = (sim: Simulator.Simulator, config: Config, step: Duration.Duration) =>
    withVirtualTime(
      Effect.raceFirst(
        Effect.map(Effect.exit(readOnce(config)), (exit): Outcome => ({ _tag: "Ended", exit })),
        Effect.raceFirst(
          Effect.as(Effect.sleep(hangAfter), {
            _tag: "Hung",
            why: `still reading after ${Duration.format(hangAfter)} of virtual time`
          } as Outcome),
          waitUntil(() => bytesSent(sim) > byteLimit || sim.requests.length > requestLimit).pipe(
            Effect.map(
              (): Outcome => ({
                _tag: "Hung",
                why: `still reading after ${sim.requests.length} requests and ${bytesSent(sim)} bytes of body`
              })
            )
          )
        )
      ),
      step
    )

  const hasBulkStream = (config: Config, step: Duration.Duration) =>
    withVirtualTime(source.catalog(config).pipe(Effect.provide(Source.layer)), step).pipe(
      Effect.map((catalog) => catalog.some((stream) => stream.mode === "bulk"))
    )

  const faultCase = (
    name: string,
    fault: Simulator.Fault,
    more?: {
      readonly step?: Duration.Input
      readonly bulkOnly?: boolean
      readonly check?: (error: SourceError) => Effect.Effect<void, Unmet>
    }
  ): CaseSpec => ({
    name,
    group: "hostile",
    body: Effect.gen(function* () {
      const sim = yield* options.simulator
      const config = options.config(sim.url)
      const step = stepOf(more?.step)
      // Sources without a bulk stream download no files: nothing for these faults to hit.
      if (more?.bulkOnly === true && !(yield* hasBulkStream(config, step))) return
      sim.inject(fault, { ...persistent, match: more?.bulkOnly === true ? fileTarget : target })
      const error = yield* endedTyped(yield* readBounded(sim, config, step), fault._tag)
      yield* expect(
        sim.requests.some((request) => request.fault === fault._tag),
        `no request met the ${fault._tag} fault`
      )
      if (more?.check !== undefined) yield* more.check(error)
    })
  })

  return [
    {
      name: "a redirect to another origin takes no secret there",
      group: "hostile",
      body: Effect.gen(function* () {
        const sim = yield* options.simulator
        const foreign = yield* Simulator.serve(() => ({ status: 404, body: "not the API" }))
        const config = options.config(sim.url)
        const secrets = secretsOf(config)
        sim.inject(
          { _tag: "Redirect", status: 307, location: `${foreign.url}/elsewhere` },
          { ...persistent, match: target }
        )
        const outcome = yield* readBounded(sim, config, suiteStep)
        yield* expect(
          !foreign.requests.some((request) => carries(request, secrets)),
          "a secret of the config reached the foreign origin"
        )
        const redirected = sim.requests.filter((request) => request.fault === "Redirect")
        yield* expect(redirected.length > 0, "no request was redirected")
        if (redirected.some((request) => carries(request, secrets))) {
          yield* endedTyped(outcome, "a redirect of a request carrying secrets")
        } else if (outcome._tag === "Hung" || Exit.isFailure(outcome.exit)) {
          // Without secrets the redirect may be followed: the read may succeed, or end typed.
          yield* endedTyped(outcome, "a redirect")
        }
      })
    },

    faultCase(
      "a server that never answers ends the read typed",
      { _tag: "StallBeforeHeaders" },
      {
        step: "500 millis"
      }
    ),
    faultCase(
      "a body trickling in a byte at a time ends the read typed",
      { _tag: "Trickle", pauseMillis: 5 },
      { step: "1 second" }
    ),
    faultCase("an endless body ends the read typed", { _tag: "EndlessBody" }, { step: "1 second" }),
    faultCase("a gzip bomb ends the read typed", { _tag: "GzipBomb" }),
    faultCase("JSON nested 100,000 deep ends the read typed", { _tag: "DeepNesting" }),
    faultCase("a body that is not UTF-8 ends the read typed", { _tag: "InvalidUtf8" }),
    faultCase(
      "a Retry-After of eleven days ends the read typed, at once",
      { _tag: "Status", status: 429, headers: { "retry-after": "999999" } },
      {
        check: (error) =>
          expect(error instanceof RateLimited && error.maxWait !== undefined, `not a refused wait: ${error.message}`)
      }
    ),
    faultCase(
      "(bulk) a 416 on every file request ends the read typed",
      { _tag: "RangeNotSatisfiable" },
      {
        bulkOnly: true
      }
    ),
    faultCase("(bulk) a 206 of the wrong range ends the read typed", { _tag: "WrongRange" }, { bulkOnly: true })
  ]
}
