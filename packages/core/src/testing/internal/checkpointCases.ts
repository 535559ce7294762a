import { type Duration, Effect, type Schema } from "effect"
import * as Feed from "../../Feed.ts"
import * as Source from "../../Source.ts"
import type { SuiteOptions } from "../Conformance.ts"
import { expect, expectEqual } from "./expect.ts"
import { type CaseSpec, type Read, withVirtualTime } from "./harness.ts"

/** An event as two reads of the same data give it: `observedAt` and the (signed) URL vary. */
const sameness = (event: Feed.FeedEvent) => `${event.stream} ${event.key} ${Feed.stableJson(event.data)}`

const eventsOf = (items: ReadonlyArray<Source.ReadItem>, stream?: string) =>
  items.flatMap((item) =>
    item._tag === "Event" && (stream === undefined || item.event.stream === stream) ? [item.event] : []
  )

/** The checkpoints of a read: for each stream, its first (`first`) or its last. */
const checkpointsOf = (items: ReadonlyArray<Source.ReadItem>, which: "first" | "last") => {
  const found: Record<string, { readonly state: Schema.Json; readonly at: number }> = {}
  items.forEach((item, at) => {
    if (item._tag !== "Checkpoint") return
    if (which === "last" || found[item.stream] === undefined) found[item.stream] = { state: item.state, at }
  })
  return found
}

const states = (found: ReturnType<typeof checkpointsOf>) =>
  Object.fromEntries(Object.entries(found).map(([stream, { state }]) => [stream, state]))

/**
 * The checkpoint cases of the conformance suite: a read resumed from a checkpoint loses and repeats
 * nothing, and a snapshot read again from its checkpoints against unchanged data emits and decodes nothing.
 */
export const checkpointCases = <Config>(
  options: SuiteOptions<Config>,
  read: Read<Config>,
  step: Duration.Input
): ReadonlyArray<CaseSpec> => {
  const { source } = options
  const gap = options.knownGaps?.checkpoints
  const test = (title: string, body: CaseSpec["body"]): CaseSpec =>
    gap === undefined
      ? { name: title, group: "standard", body }
      : { name: `${title} (known gap: ${gap})`, group: "standard", knownGap: gap, body }
  const catalogOf = (config: Config) => withVirtualTime(source.catalog(config).pipe(Effect.provide(Source.layer)), step)

  return [
    test(
      "a read resumed from a checkpoint taken mid-read loses nothing and repeats nothing",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const first = yield* withVirtualTime(read(config), step)
        // The first checkpoint of each stream: mid-read for a stream that emits more than one.
        const taken = checkpointsOf(first, "first")
        yield* expect(Object.keys(taken).length > 0, "the read emitted no checkpoint")
        const resumed = yield* withVirtualTime(read(config, { checkpoints: states(taken) }), step)
        for (const { name } of yield* catalogOf(config)) {
          const at = taken[name]?.at ?? -1
          const rest = eventsOf(first.slice(at + 1), name).map(sameness)
          yield* expectEqual(eventsOf(resumed, name).map(sameness), rest, `${name} resumed from its checkpoint`)
        }
      })
    ),
    test(
      "an unchanged snapshot emits no new events and decodes nothing",
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const streams = (yield* catalogOf(config)).filter((s) => s.mode === "snapshot").map((s) => s.name)
        if (streams.length === 0) return
        const first = yield* withVirtualTime(read(config, { streams }), step)
        yield* expect(eventsOf(first).length > 0, "the first read emitted no events")
        const outcomes: Array<Source.SnapshotEvent> = []
        const before = sim.requests.length
        const again = yield* withVirtualTime(
          read(config, { streams, checkpoints: states(checkpointsOf(first, "last")) }).pipe(
            Effect.provideService(Source.SnapshotListener, (event) => Effect.sync(() => outcomes.push(event)))
          ),
          step
        )
        yield* expectEqual(eventsOf(again).map(sameness), [], "the unchanged snapshot emitted events again")
        // A defined source tells what became of each request; any other must show conditional requests.
        const requests = sim.requests.slice(before)
        const seen =
          outcomes.length > 0
            ? outcomes.map((o) => `${o.request}: ${o.outcome}`)
            : requests.map((r) => `${r.method} ${r.path}${r.query}: ${r.status === 304 ? "not-modified" : "decoded"}`)
        yield* expect(seen.length > 0, "no request was made")
        yield* expectEqual(
          seen.filter((line) => line.endsWith(": decoded")),
          [],
          "an unchanged snapshot was decoded again"
        )
      })
    )
  ]
}
