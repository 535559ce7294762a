/**
 * The conformance kit: one call in a connector's tests runs the standard suite against its simulator.
 *
 * ```ts
 * import { Conformance } from "@electfeed/core/testing"
 * Conformance.suite({ source, simulator: MySimulator.serve(), config: (url) => ({ baseUrl: url }) })
 * ```
 *
 * Every wait (rate limits, retries, `Retry-After`) runs on the `TestClock`, so the suite takes a moment
 * of real time.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Deferred, Duration, Effect, Exit, Fiber, Schema, type Scope, Stream } from "effect"
import { TestClock } from "effect/testing"
import { afterAll } from "vitest"
import * as Download from "../Download.ts"
import * as Feed from "../Feed.ts"
import { RetryListener } from "../Retry.ts"
import * as Source from "../Source.ts"
import { checkpointCases } from "./internal/checkpointCases.ts"
import * as Harness from "./internal/harness.ts"
import { failureOf, realSleep, waitUntil } from "./internal/harness.ts"
import { hostileCases } from "./internal/hostileCases.ts"
import { placeholderCase } from "./internal/placeholders.ts"
import type { SimRequest, Simulator } from "./Simulator.ts"

/**
 * What the suite needs to know of a connector.
 *
 * @since 0.1.0
 * @category models
 */
export interface SuiteOptions<Config> {
  readonly source: Source.Source<Config, any>
  /** Starts the connector's simulator with its built-in data. */
  readonly simulator: Effect.Effect<Simulator, never, Scope.Scope>
  /** A usable config against the simulator at `url`. */
  readonly config: (url: string) => Config
  /** A config whose credentials the simulator refuses. Omit for sources that need none. */
  readonly badCredentials?: ((url: string) => Config) | undefined
  /** The requests that injected faults hit. Default: every request. */
  readonly faultTarget?: ((request: SimRequest) => boolean) | undefined
  /**
   * The file requests of a bulk source, which the hostile cases meant for downloads (a `416` loop, a
   * `206` of the wrong range) hit. Default: `faultTarget`.
   */
  readonly fileTarget?: ((request: SimRequest) => boolean) | undefined
  /**
   * Virtual time a read against a hostile server may take before its case calls it a hang. Default 2 h.
   * For a bulk source, the suite's config must bound a download below it in time, and below 256 MiB in
   * size, for the trickle and endless-body cases to pass.
   */
  readonly maxReadTime?: Duration.Input | undefined
  /**
   * The smallest config a user writes, as JSON: decoded by the source's schema, its defaults (a base URL,
   * say) must hold no placeholder. Omit when the source has no such config.
   */
  readonly minimalConfig?: unknown
  /**
   * Cases a source is known to fail, each with why, until it is fixed: they run expecting to fail, so the
   * suite goes red as soon as the gap is closed and the entry must go. `checkpoints`: the two checkpoint
   * cases (a source that does not yet go on from its checkpoints).
   */
  readonly knownGaps?: { readonly checkpoints?: string | undefined } | undefined
  /** Only for the connector template itself: its placeholders must be found rather than absent. */
  readonly template?: boolean | undefined
  /** Virtual time advanced per millisecond of real time while a read runs. Default 20 ms. */
  readonly timeStep?: Duration.Input | undefined
}

/**
 * Runs `effect` while advancing the `TestClock` a `step` (default 20 ms) per millisecond of real time, so
 * that rate-limit and retry waits pass in virtual time while real I/O proceeds.
 *
 * @since 0.1.0
 * @category testing
 */
export const withVirtualTime: <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  step?: Duration.Input
) => Effect.Effect<A, E, R> = Harness.withVirtualTime

/**
 * Reads every stream of `config` to the end on a fresh {@link Source.layer}, collecting the items.
 *
 * @since 0.1.0
 * @category testing
 */
export const readAll = <Config>(source: Source.Source<Config, any>, config: Config, options?: Source.ReadOptions) =>
  source.read(config, options).pipe(Stream.runCollect, Effect.provide(Source.layer))

const eventsOf = (items: ReadonlyArray<Source.ReadItem>): Array<Feed.FeedEvent> =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))

const withoutObservedAt = (event: Feed.FeedEvent) => Feed.stableJson({ ...event, observedAt: undefined })

/**
 * Declares the standard suite for a connector:
 *
 * - `check` passes with a good config, and fails typed with bad credentials;
 * - the catalog is valid;
 * - every event decodes against the feed model and belongs to a stream of the catalog;
 * - keys are unique within a read and stable across two reads;
 * - two reads of unchanged data give identical events (but for `observedAt`);
 * - a 503 then 200 is retried and succeeds;
 * - a 429 with `Retry-After: 2` waits at least 2 s before trying again;
 * - an auth failure is typed and never retried;
 * - a malformed body gives a `DecodeError`, never a defect;
 * - interrupting a read frees its sockets;
 * - a read given the first checkpoint of each stream (taken mid-read where a stream emits more than one)
 *   emits exactly the events that followed it: nothing lost, nothing repeated;
 * - a snapshot stream read again from its last checkpoint against unchanged data emits no events and
 *   decodes nothing (a defined source tells it through `Source.SnapshotListener`; any other must get a
 *   `304` for every request);
 * - no placeholder of the connector template is left: no `TODO` in the source's id, connector,
 *   description, the defaults of {@link SuiteOptions.minimalConfig} or any event, and no event of the
 *   state `XX`;
 *
 * and, against hostile servers, that the read ends in a typed `SourceError` (a failure, or a row reported
 * and skipped; never a defect, never a hang: within {@link SuiteOptions.maxReadTime} of virtual time,
 * 256 MiB of body and a thousand requests) when every request it makes (of
 * {@link SuiteOptions.faultTarget}) meets:
 *
 * - a redirect to another origin (which must see none of the config's `Redacted` secrets; a read whose
 *   redirected requests carried none may also succeed);
 * - a server that never answers, a body trickling in a byte at a time, an endless body, a gzip bomb;
 * - JSON nested 100,000 deep, a body that is not UTF-8;
 * - a `429` with a `Retry-After` of eleven days (a `RateLimited` that refuses the wait);
 * - for a source with a `bulk` stream, on its file requests ({@link SuiteOptions.fileTarget}): a `416`
 *   on every request, a `206` of the wrong range.
 *
 * @since 0.1.0
 * @category testing
 */
export const suite = <Config>(options: SuiteOptions<Config>): void => {
  const { source } = options
  const step = options.timeStep ?? "20 millis"
  const target = options.faultTarget ?? (() => true)
  // Bulk sources download into a folder of the suite's own, removed when it ends.
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), `electfeed-conformance-${source.id}-`))
  afterAll(() => fs.rmSync(downloads, { recursive: true, force: true }))
  const readOnce = (config: Config, readOptions?: Source.ReadOptions) =>
    readAll(source, config, readOptions).pipe(Effect.provideService(Download.DownloadDirectory, downloads))
  const read = (config: Config) => withVirtualTime(Effect.exit(readOnce(config)), step)

  describe(`${source.id} conformance`, () => {
    it.effect("check passes with a good config", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const exit = yield* withVirtualTime(
          Effect.exit(source.check(options.config(sim.url)).pipe(Effect.provide(Source.layer))),
          step
        )
        assert.isTrue(Exit.isSuccess(exit), `check failed: ${String(failureOf(exit as any)?.message)}`)
      })
    )

    if (options.badCredentials !== undefined) {
      const badCredentials = options.badCredentials
      it.effect("check fails typed with bad credentials", () =>
        Effect.gen(function* () {
          const sim = yield* options.simulator
          const exit = yield* withVirtualTime(
            Effect.exit(source.check(badCredentials(sim.url)).pipe(Effect.provide(Source.layer))),
            step
          )
          assert.strictEqual(failureOf(exit)?._tag, "AuthError")
        })
      )
    }

    it.effect("the catalog is valid", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const catalog = yield* withVirtualTime(
          source.catalog(options.config(sim.url)).pipe(Effect.provide(Source.layer)),
          step
        )
        const decoded = yield* Schema.decodeUnknownEffect(Source.Catalog)(catalog)
        assert.isAbove(decoded.length, 0, "the catalog has no streams")
      })
    )

    it.effect("every event fits the feed model, once per key, stable across reads", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const catalog = yield* withVirtualTime(source.catalog(config).pipe(Effect.provide(Source.layer)), step)
        const first = eventsOf(yield* Effect.flatten(read(config)))
        const second = eventsOf(yield* Effect.flatten(read(config)))
        assert.isAbove(first.length, 0, "the read emitted no events")
        for (const event of first) {
          yield* Feed.decodeEvent(event)
          assert.strictEqual(event.source, source.id)
          const stream = catalog.find((s) => s.name === event.stream)
          assert.isDefined(stream, `event of unknown stream ${event.stream}`)
          assert.strictEqual(event.kind, stream!.kind, `kind of ${event.key}`)
        }
        const keys = first.map((e) => `${e.stream} ${e.key}`)
        assert.strictEqual(new Set(keys).size, keys.length, "keys repeat within one read")
        assert.deepStrictEqual(
          second.map((e) => `${e.stream} ${e.key}`),
          keys,
          "keys differ between reads"
        )
        assert.deepStrictEqual(second.map(withoutObservedAt), first.map(withoutObservedAt), "two reads differ")
      })
    )

    it.effect("a 503 then 200 is retried and succeeds", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        const baseline = eventsOf(yield* Effect.flatten(read(config)))
        sim.inject({ _tag: "Status", status: 503, body: "Service Unavailable" }, { match: target })
        const items = yield* Effect.flatten(read(config))
        assert.isTrue(
          sim.requests.some((r) => r.status === 503),
          "the simulator never answered 503"
        )
        assert.deepStrictEqual(eventsOf(items).map(withoutObservedAt), baseline.map(withoutObservedAt))
      })
    )

    it.effect("a 429 with Retry-After: 2 waits at least 2 s", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        const config = options.config(sim.url)
        sim.inject({ _tag: "Status", status: 429, headers: { "retry-after": "2" } }, { match: target })
        const retried = yield* Deferred.make<Duration.Duration>()
        const fiber = yield* Effect.forkChild(
          readOnce(config).pipe(
            Effect.provideService(RetryListener, (event) =>
              event.error._tag === "RateLimited"
                ? Deferred.succeed(retried, event.delay).pipe(Effect.asVoid)
                : Effect.void
            )
          )
        )
        // The first request needs no virtual time (the limiter starts full), so the clock stands still
        // until the retry's wait begins and can then be moved to just before its end.
        const delay = yield* Deferred.await(retried)
        assert.isTrue(
          Duration.isGreaterThanOrEqualTo(delay, Duration.seconds(2)),
          `waited only ${Duration.format(delay)}`
        )
        yield* realSleep(20)
        const seen = sim.requests.length
        const before = yield* Clock.currentTimeMillis
        yield* TestClock.adjust(Duration.subtract(delay, Duration.millis(1)))
        yield* realSleep(50)
        assert.strictEqual(sim.requests.length, seen, "a request went out before Retry-After had passed")
        yield* withVirtualTime(Fiber.join(fiber), step)
        assert.isAbove(sim.requests.length, seen)
        assert.isAtLeast((yield* Clock.currentTimeMillis) - before, 2000)
      })
    )

    it.effect("an auth failure is typed and never retried", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        sim.inject({ _tag: "Status", status: 401, body: "Unauthorized" }, { times: 100, match: target })
        const exit = yield* read(options.config(sim.url))
        assert.strictEqual(failureOf(exit)?._tag, "AuthError")
        const refused = sim.requests.filter((r) => r.status === 401).map((r) => `${r.method} ${r.path}${r.query}`)
        assert.isAbove(refused.length, 0)
        assert.strictEqual(
          new Set(refused).size,
          refused.length,
          `a refused request was retried: ${refused.join(", ")}`
        )
        if (options.badCredentials !== undefined) {
          sim.clearFaults()
          const before = sim.requests.length
          const bad = yield* read(options.badCredentials(sim.url))
          assert.strictEqual(failureOf(bad)?._tag, "AuthError")
          assert.strictEqual(sim.requests.length - before, 1, "a request with bad credentials was retried")
        }
      })
    )

    it.effect("a malformed body gives a DecodeError, never a defect", () =>
      Effect.gen(function* () {
        const sim = yield* options.simulator
        sim.inject({ _tag: "Malformed" }, { match: target })
        const exit = yield* read(options.config(sim.url))
        assert.isTrue(Exit.isFailure(exit) && !Cause.hasDies(exit.cause), "the read died or succeeded")
        assert.strictEqual(failureOf(exit)?._tag, "DecodeError")
      })
    )

    it.effect("interrupting a read frees its sockets", () =>
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
        assert.strictEqual(sim.openConnections(), 0, "sockets stayed open after the read was interrupted")
        assert.isTrue(sim.requests.find((r) => r.fault === "Stall")!.aborted, "the stalled response was not abandoned")
      })
    )

    checkpointCases(options, readOnce, step)
    placeholderCase(options, readOnce, step)
  })

  hostileCases(options, readOnce)
}
