/**
 * What the tests share: reading the source against a simulator, each test in a download directory of
 * its own, with every wait on the TestClock.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert } from "@effect/vitest"
import { Download, Feed, Source } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Cause, Effect, Exit, Option, Redacted, type Scope, Stream } from "effect"
import { type Config, source } from "../src/index.ts"
import type { Simulator } from "../src/testing/index.ts"

/** A download directory removed when the test ends. */
export const tempDirectory: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-ballotpedia-test-"))),
  (directory) => Effect.sync(() => fs.rmSync(directory, { recursive: true, force: true }))
)

export const configFor = (sim: Simulator.BallotpediaSimulator, overrides?: Partial<Config>): Config => ({
  baseUrl: sim.url,
  apiKey: Redacted.make(sim.apiKey),
  ...overrides
})

/** Runs `items` to the end in `directory`, in virtual time; the exit keeps what was emitted before a failure. */
export const collect = (
  items: Stream.Stream<Source.ReadItem, unknown, Source.Services>,
  directory: string
): Effect.Effect<{ readonly items: ReadonlyArray<Source.ReadItem>; readonly exit: Exit.Exit<void, unknown> }> =>
  Effect.gen(function* () {
    const collected: Array<Source.ReadItem> = []
    const exit = yield* items.pipe(
      Stream.runForEach((item) => Effect.sync(() => void collected.push(item))),
      Effect.provide(Source.layer),
      Effect.provideService(Download.DownloadDirectory, directory),
      Conformance.withVirtualTime,
      Effect.exit
    )
    return { items: collected, exit }
  })

/** Reads `config` to the end and fails the test if the read fails. */
export const readAll = (config: Config, directory: string, options?: Source.ReadOptions) =>
  Effect.flatMap(collect(source.read(config, options), directory), ({ exit, items }) =>
    Exit.isSuccess(exit) ? Effect.succeed(items) : Effect.die(exit.cause)
  )

export const events = (items: ReadonlyArray<Source.ReadItem>): Array<Feed.FeedEvent> =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))

export const checkpoints = (items: ReadonlyArray<Source.ReadItem>) =>
  items.flatMap((item) => (item._tag === "Checkpoint" ? [item] : []))

/** An event without what differs between two reads of the same data (when, and from which file). */
export const comparable = (event: Feed.FeedEvent) => ({
  source: event.source,
  stream: event.stream,
  kind: event.kind,
  key: event.key,
  data: event.data
})

/**
 * Asserts that two reads gave the same events in the same order (but for when and from which file),
 * naming the first that differs; quicker than a deep comparison of many events.
 */
export const assertSameEvents = (
  actual: ReadonlyArray<Feed.FeedEvent>,
  expected: ReadonlyArray<Feed.FeedEvent>,
  message = "the events differ"
) => {
  const encode = (event: Feed.FeedEvent) => Feed.stableJson(comparable(event))
  const length = Math.max(actual.length, expected.length)
  for (let index = 0; index < length; index++) {
    const [a, b] = [actual[index], expected[index]]
    if (a === undefined || b === undefined || encode(a) !== encode(b)) {
      assert.fail(
        `${message}: first at event ${index} of ${actual.length} (expected ${expected.length}): ` +
          `${a === undefined ? "none" : encode(a)} instead of ${b === undefined ? "none" : encode(b)}`
      )
    }
  }
}

/** The failure of an exit, if it failed. */
export const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
