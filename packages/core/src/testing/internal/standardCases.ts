import { Cause, Clock, Deferred, Duration, Effect, Exit, Fiber, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as Feed from "../../Feed.ts"
import { RetryListener } from "../../Retry.ts"
import * as Source from "../../Source.ts"
import type { SuiteOptions } from "../Conformance.ts"
import { expect, expectEqual } from "./expect.ts"
import { type CaseSpec, failureOf, type Read, realSleep, waitUntil, withVirtualTime } from "./harness.ts"

const eventsOf = (items: ReadonlyArray<Source.ReadItem>): Array<Feed.FeedEvent> =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))

const withoutObservedAt = (event: Feed.FeedEvent) => Feed.stableJson({ ...event, observedAt: undefined })

/**
 * The cases of the conformance suite against the simulator as it is, or with one fault a good client
 * gets past (a 503, a 429) or must report typed (a 401, a malformed body), and an interrupted read.
 */
export const standardCases = <Config>(
  options: SuiteOptions<Config>,
  readOnce: Read<Config>,
  step: Duration.Input
): ReadonlyArray<CaseSpec> => {
  const { source } = options
  const target = options.faultTarget ?? (() => true)
  const read = (config: Config) => withVirtualTime(Effect.exit(readOnce(config)), step)
  const onLayer = <A, E>(effect: Effect.Effect<A, E, Source.Services>) =>
    withVirtualTime(effect.pipe(Effect.provide(Source.layer)), step)
  const standard = (name: string, body: CaseSpec["body"]): CaseSpec => ({ name, group: "standard", body })

  const badCredentials = options.badCredentials
  return [
    standard(
      "check passes with a good config",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const exit = yield* Effect.exit(onLayer(source.check(options.config(sim.url))))
        yield* expect(Exit.isSuccess(exit), `check failed: ${String(failureOf(exit)?.message)}`)
      })
    ),
    ...(badCredentials === undefined
      ? []
      : [
          standard(
            "check fails typed with bad credentials",
            Effect.gen(function* () {
              const sim = yield* options.simulator
              const exit = yield* Effect.exit(onLayer(source.check(badCredentials(sim.url))))
              yield* expectEqual(failureOf(exit)?._tag, "AuthError", "check with bad credentials")
            })
          )
        ]),
    standard(
      "the catalog is valid",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const catalog = yield* onLayer(source.catalog(options.config(sim.url)))
        const decoded = yield* Schema.decodeUnknownEffect(Source.Catalog)(catalog)
        yield* expect(decoded.length > 0, "the catalog has no streams")
      })
    ),
    standard(
      "every event fits the feed model, once per key, stable across reads",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const catalog = yield* onLayer(source.catalog(config))
        const first = eventsOf(yield* Effect.flatten(read(config)))
        const second = eventsOf(yield* Effect.flatten(read(config)))
        yield* expect(first.length > 0, "the read emitted no events")
        for (const event of first) {
          yield* Feed.decodeEvent(event)
          yield* expectEqual(event.source, source.id, `the source of ${event.key}`)
          const stream = catalog.find((s) => s.name === event.stream)
          yield* expect(stream !== undefined, `event of unknown stream ${event.stream}`)
          yield* expectEqual(event.kind, stream?.kind, `kind of ${event.key}`)
        }
        const keys = first.map((e) => `${e.stream} ${e.key}`)
        yield* expect(new Set(keys).size === keys.length, "keys repeat within one read")
        yield* expectEqual(
          second.map((e) => `${e.stream} ${e.key}`),
          keys,
          "keys differ between reads"
        )
        yield* expectEqual(second.map(withoutObservedAt), first.map(withoutObservedAt), "two reads differ")
      })
    ),
    standard(
      "a 503 then 200 is retried and succeeds",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const baseline = eventsOf(yield* Effect.flatten(read(config)))
        sim.inject({ _tag: "Status", status: 503, body: "Service Unavailable" }, { match: target })
        const items = yield* Effect.flatten(read(config))
        yield* expect(
          sim.requests.some((r) => r.status === 503),
          "the simulator never answered 503"
        )
        yield* expectEqual(
          eventsOf(items).map(withoutObservedAt),
          baseline.map(withoutObservedAt),
          "the events after a retry"
        )
      })
    ),
    standard(
      "a 429 with Retry-After: 2 waits at least 2 s",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        sim.inject({ _tag: "Status", status: 429, headers: { "retry-after": "2" } }, { match: target })
        const retried = yield* Deferred.make<{ readonly delay: Duration.Duration; readonly at: number }>()
        const fiber = yield* Effect.forkChild(
          readOnce(config).pipe(
            Effect.provideService(RetryListener, (event) =>
              event.error._tag === "RateLimited"
                ? Clock.currentTimeMillis.pipe(
                    Effect.flatMap((at) => Deferred.succeed(retried, { delay: event.delay, at })),
                    Effect.asVoid
                  )
                : Effect.void
            )
          )
        )
        // The requests before the target's may need virtual time (a limiter with `burst: 1` lets one go at
        // once, the next after its interval): the clock runs until the retry is announced, which happens
        // before its wait begins, and is then moved to just before that wait ends.
        const { delay, at } = yield* withVirtualTime(Deferred.await(retried), step)
        yield* expect(
          Duration.isGreaterThanOrEqualTo(delay, Duration.seconds(2)),
          `waited only ${Duration.format(delay)}`
        )
        yield* realSleep(20)
        const seen = sim.requests.length
        const now = yield* Clock.currentTimeMillis
        yield* TestClock.adjust(Duration.millis(at + Duration.toMillis(delay) - 1 - now))
        yield* realSleep(50)
        yield* expectEqual(sim.requests.length, seen, "a request went out before Retry-After had passed")
        yield* withVirtualTime(Fiber.join(fiber), step)
        yield* expect(sim.requests.length > seen, "no request went out after Retry-After")
        const waited = (yield* Clock.currentTimeMillis) - at
        yield* expect(waited >= 2000, `the retry came after ${waited} ms`)
      })
    ),
    standard(
      "an auth failure is typed and never retried",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        sim.inject({ _tag: "Status", status: 401, body: "Unauthorized" }, { times: 100, match: target })
        const exit = yield* read(options.config(sim.url))
        yield* expectEqual(failureOf(exit)?._tag, "AuthError", "a read refused with 401")
        const refused = sim.requests.filter((r) => r.status === 401).map((r) => `${r.method} ${r.path}${r.query}`)
        yield* expect(refused.length > 0, "no request was refused")
        yield* expect(new Set(refused).size === refused.length, `a refused request was retried: ${refused.join(", ")}`)
        if (badCredentials !== undefined) {
          sim.clearFaults()
          const before = sim.requests.length
          const bad = yield* read(badCredentials(sim.url))
          yield* expectEqual(failureOf(bad)?._tag, "AuthError", "a read with bad credentials")
          yield* expectEqual(sim.requests.length - before, 1, "a request with bad credentials was retried")
        }
      })
    ),
    standard(
      "a malformed body gives a DecodeError, never a defect",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        sim.inject({ _tag: "Malformed" }, { match: target })
        const exit = yield* read(options.config(sim.url))
        yield* expect(Exit.isFailure(exit) && !Cause.hasDies(exit.cause), "the read died or succeeded")
        yield* expectEqual(failureOf(exit)?._tag, "DecodeError", "a read of a malformed body")
      })
    ),
    standard(
      "interrupting a read frees its sockets",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        sim.inject({ _tag: "Stall" }, { match: target })
        const fiber = yield* Effect.forkChild(readOnce(options.config(sim.url)))
        yield* withVirtualTime(
          waitUntil(() => sim.requests.some((r) => r.fault === "Stall")),
          step
        )
        yield* Fiber.interrupt(fiber)
        yield* Effect.raceFirst(
          waitUntil(() => sim.openConnections() === 0),
          realSleep(2000)
        )
        yield* expectEqual(sim.openConnections(), 0, "sockets stayed open after the read was interrupted")
        yield* expect(
          sim.requests.find((r) => r.fault === "Stall")?.aborted === true,
          "the stalled response was not abandoned"
        )
      })
    )
  ]
}
