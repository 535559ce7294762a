/**
 * The conformance kit, for any test runner or none: {@link cases} are the standard cases for a connector
 * against its simulator, each a plain effect that succeeds or fails with a {@link ConformanceFailure};
 * {@link run} runs them and reports each one. Under vitest, `Conformance.suite` of
 * `@electfeed/core/testing/vitest` declares them as tests.
 *
 * ```ts
 * import { Conformance } from "@electfeed/core/testing"
 * const cases = Conformance.cases({ source, simulator: MySimulator.serve(), config: (url) => ({ baseUrl: url }) })
 * const failed = (await Effect.runPromise(Conformance.run(cases))).filter((outcome) => outcome.failure)
 * ```
 *
 * Every wait (rate limits, retries, `Retry-After`) runs on a `TestClock` of the case's own, so a case
 * takes a moment of real time.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Cause, type Duration, Effect, Exit, Schema, type Scope, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as Download from "../Download.ts"
import * as Source from "../Source.ts"
import { checkpointCases } from "./internal/checkpointCases.ts"
import { Unmet } from "./internal/expect.ts"
import type { CaseSpec } from "./internal/harness.ts"
import * as Harness from "./internal/harness.ts"
import { hostileCases } from "./internal/hostileCases.ts"
import { placeholderCase } from "./internal/placeholders.ts"
import { standardCases } from "./internal/standardCases.ts"
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
 * A case of the suite that did not pass: its name, and what was wrong (a check that did not hold, an
 * unexpected error or a defect, with its cause).
 *
 * @since 0.2.0
 * @category errors
 */
export class ConformanceFailure extends Schema.TaggedError<ConformanceFailure>()("ConformanceFailure", {
  case: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.case}: ${this.detail}`
  }
}

/**
 * One case of the suite. `run` needs nothing: it brings its simulator, its `TestClock` and its download
 * folder, and frees them when it ends.
 *
 * @since 0.2.0
 * @category models
 */
export interface Case {
  /** What the case checks, as a test is named. */
  readonly name: string
  /** `standard` for the cases against the simulator as it is, `hostile` for those against a faulty one. */
  readonly group: "standard" | "hostile"
  /**
   * Why the case is known to fail ({@link SuiteOptions.knownGaps}), for a case run expecting to fail:
   * its `run` succeeds when the case fails, and fails when it passes (the gap is closed).
   */
  readonly knownGap: string | undefined
  readonly run: Effect.Effect<void, ConformanceFailure>
}

/**
 * What became of a case in {@link run}: passed, or failed with why.
 *
 * @since 0.2.0
 * @category models
 */
export interface Outcome {
  readonly name: string
  readonly group: Case["group"]
  readonly failure: ConformanceFailure | undefined
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

// A bulk source downloads into a folder of the case's own, removed when the case ends.
const downloadFolder = (id: string) =>
  Effect.acquireRelease(
    Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), `electfeed-conformance-${id}-`))),
    (folder) => Effect.sync(() => fs.rmSync(folder, { recursive: true, force: true }))
  )

const failureOf = (name: string, cause: Cause.Cause<unknown>): ConformanceFailure => {
  const error = Cause.findErrorOption(cause)
  const detail = error._tag === "Some" && Schema.is(Unmet)(error.value) ? error.value.message : Cause.pretty(cause)
  return new ConformanceFailure({ case: name, detail })
}

const toCase =
  (id: string) =>
  (spec: CaseSpec): Case => {
    const body = Effect.gen(function* () {
      const folder = yield* downloadFolder(id)
      return yield* Effect.exit(spec.body.pipe(Effect.provideService(Download.DownloadDirectory, folder)))
    }).pipe(Effect.scoped, Effect.provide(TestClock.layer()))
    const run = Effect.flatMap(body, (exit): Effect.Effect<void, ConformanceFailure> => {
      if (spec.knownGap === undefined)
        return Exit.isSuccess(exit) ? Effect.void : Effect.fail(failureOf(spec.name, exit.cause))
      return Exit.isSuccess(exit)
        ? Effect.fail(
            new ConformanceFailure({
              case: spec.name,
              detail: `the case passes: the known gap "${spec.knownGap}" is closed, remove it from knownGaps`
            })
          )
        : Effect.void
    })
    return { name: spec.name, group: spec.group, knownGap: spec.knownGap, run }
  }

/**
 * The standard cases for a connector, in order:
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
 * @since 0.2.0
 * @category cases
 */
export const cases = <Config>(options: SuiteOptions<Config>): ReadonlyArray<Case> => {
  const step = options.timeStep ?? "20 millis"
  const read = (config: Config, readOptions?: Source.ReadOptions) => readAll(options.source, config, readOptions)
  return [
    ...standardCases(options, read, step),
    ...checkpointCases(options, read, step),
    placeholderCase(options, read, step),
    ...hostileCases(options, read)
  ].map(toCase(options.source.id))
}

/**
 * Runs `cases` (all of {@link cases}, or some of them) one after the other, and tells what became of each.
 *
 * @since 0.2.0
 * @category cases
 */
export const run = Effect.fn("Conformance.run")(function* (cases: ReadonlyArray<Case>) {
  const outcomes: Array<Outcome> = []
  for (const each of cases) {
    const failure = yield* each.run.pipe(
      Effect.match({ onSuccess: () => undefined, onFailure: (failure): ConformanceFailure | undefined => failure })
    )
    outcomes.push({ name: each.name, group: each.group, failure })
  }
  return outcomes
})
