import { assert, describe, it } from "@effect/vitest"
import { type Feed, Source, type SourceError } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Cause, Duration, Effect, Exit, Option, Stream } from "effect"
import { type Config, ContestId, source } from "../src/index.ts"
import { Election, serve } from "../src/testing/index.ts"

// Reads here are about what comes back; the rate limit is the conformance suite's business.
const unlimited = { limit: 10_000, window: Duration.seconds(1) }

const read = (config: Config.Config, options?: Source.ReadOptions) =>
  Conformance.withVirtualTime(Conformance.readAll(source, { rateLimit: unlimited, ...config }, options))

const events = (items: ReadonlyArray<Source.ReadItem>) =>
  items.flatMap((item) => (item._tag === "Event" ? [item.event] : []))

const contests = (items: ReadonlyArray<Source.ReadItem>) =>
  events(items).flatMap((event) => (event.kind === "ContestResult" ? [event] : []))

// What must not differ between two ways of reading the same data.
const essence = (event: Feed.FeedEvent) => ({
  stream: event.stream,
  kind: event.kind,
  key: event.key,
  data: event.data
})

const failureOf = <A>(exit: Exit.Exit<A, SourceError.SourceError>): SourceError.SourceError => {
  assert.isTrue(Exit.isFailure(exit), "expected the read to fail")
  const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
  assert.isDefined(error, "expected a typed failure, not a defect")
  return error!
}

const contestAt = (path: string) => Election.contests.find((contest) => contest.path === path)!

const idOf = (contest: Election.Contest, county = ContestId.wholeArea) =>
  `${contest.code}${String(county).padStart(2, "0")}`

const lake = ContestId.countyBySlug("lake")!

describe("CaSos", () => {
  it.effect("the same contests read as JSON and as CSV give identical events", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const endpoints = ["/returns/status", "/returns/us-rep/district/7/county/lake", "/returns/ballot-measures/prop/2"]
      const config = { baseUrl: sim.url }
      const json = events(yield* read(config))
      const csv = events(yield* read({ ...config, format: "csv" }))
      assert.isAbove(json.length, 200)
      assert.deepStrictEqual(csv.map(essence), json.map(essence))
      const jsonMore = events(yield* read({ ...config, endpoints }))
      const csvMore = events(yield* read({ ...config, endpoints, format: "csv" }))
      assert.isTrue(jsonMore.some((event) => event.stream === "county-status"))
      assert.deepStrictEqual(csvMore.map(essence), jsonMore.map(essence))
      const asked = sim.requests.map((r) => r.query)
      assert.strictEqual(asked.filter((q) => q === "?f=csv").length, asked.length / 2)
    })
  )

  it.effect("a contest has the same key and data through its endpoint and through the batch query", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const paths = [
        "/returns/governor/county/lake",
        "/returns/ballot-measures",
        "/returns/courts-of-appeal/district/2"
      ]
      const byEndpoint = contests(yield* read({ baseUrl: sim.url, endpoints: paths }))
      const byId = contests(
        yield* read({ baseUrl: sim.url, contests: [...new Set(byEndpoint.map((e) => e.data.contestId!))] })
      )
      assert.deepStrictEqual(byId.map(essence), byEndpoint.map(essence))
    })
  )

  it.effect("25 contest ids go out as 3 requests of at most 10 and come back in the order asked", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const ids = Election.contests
        .filter((contest) => contest.list === "candidates" && contest.code !== undefined)
        .slice(0, 25)
        .map((contest) => idOf(contest))
        .reverse()
      const items = yield* read({ baseUrl: sim.url, contests: ids })
      assert.deepStrictEqual(
        contests(items).map((event) => event.data.contestId),
        ids
      )
      assert.deepStrictEqual(
        sim.requests.map((r) => JSON.parse(new URLSearchParams(r.query).get("r")!)),
        [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)]
      )
      assert.isTrue(sim.requests.every((r) => r.path === "/returns/query" && r.status === 200))
    })
  )

  it.effect("an unknown path or id is a typed NotFound, asked once", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const byPath = failureOf(
        yield* Effect.exit(read({ baseUrl: sim.url, endpoints: ["/returns/us-rep/district/99"] }))
      )
      assert.strictEqual(byPath._tag, "NotFound")
      assert.include(byPath.message, "/returns/us-rep/district/99")
      assert.strictEqual(sim.requests.length, 1)
      const byId = failureOf(yield* Effect.exit(read({ baseUrl: sim.url, contests: ["11000099000059"] })))
      assert.strictEqual(byId._tag, "NotFound")
      assert.strictEqual(sim.requests.length, 2)
    })
  )

  it.effect("a malformed contest id fails typed, naming the id, before any request", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const error = failureOf(
        yield* Effect.exit(read({ baseUrl: sim.url, contests: ["02000000000059", "0200000000005"] }))
      )
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "0200000000005")
      assert.strictEqual(sim.requests.length, 0)
      const decoded = yield* Effect.exit(
        Source.decodeConfig(source, { contests: ["02000000000059", "99000000000059"] })
      )
      const decodeError = failureOf(decoded)
      assert.strictEqual(decodeError._tag, "ConfigError")
      assert.include(decodeError.message, "99000000000059")
    })
  )

  it.effect("asking the batch query for CSV is a clear ConfigError", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const error = failureOf(
        yield* Effect.exit(read({ baseUrl: sim.url, format: "csv", contests: ["02000000000059"] }))
      )
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "no CSV")
      assert.strictEqual(sim.requests.length, 0)
      // The config schema plans as a read does, so such a config does not decode either.
      const decoded = yield* Effect.exit(Source.decodeConfig(source, { format: "csv", contests: ["02000000000059"] }))
      assert.include(failureOf(decoded).message, "no CSV")
    })
  )

  it.effect("a county reads each endpoint's breakdown: the county's result and the wider one", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const districts = Election.contests.filter((c) => c.path.startsWith("/returns/us-rep/district/"))
      const inside = districts.find((c) => c.counties.includes(lake))!
      const outside = districts.find((c) => !c.counties.includes(lake))!
      const items = yield* read({
        baseUrl: sim.url,
        county: "lake",
        endpoints: ["/returns/governor", "/returns/supreme-court", inside.path, outside.path, "/returns/status"]
      })
      const results = contests(items)
      const governor = contestAt("/returns/governor")
      assert.deepStrictEqual(
        results.filter((e) => e.data.office === "Governor").map((e) => [e.key, e.data.jurisdiction.county]),
        [
          [idOf(governor, lake.code), "Lake"],
          [idOf(governor), null]
        ]
      )
      const justices = results.filter((e) => e.data.contestKind === "retention")
      assert.strictEqual(justices.length, 2 * contestAt("/returns/supreme-court").yesNo.length)
      assert.deepStrictEqual(
        results.filter((e) => e.data.jurisdiction.district !== null).map((e) => e.data.contestId),
        [idOf(inside, lake.code), idOf(inside), idOf(outside)]
      )
      assert.deepStrictEqual(
        events(items)
          .filter((e) => e.stream === "county-status")
          .map((e) => e.key),
        ["status/lake"]
      )
      assert.deepStrictEqual(
        sim.requests.map((r) => r.path),
        [
          "/returns/governor/county/lake",
          "/returns/supreme-court/county/lake",
          `${inside.path}/county/lake`,
          `${outside.path}/county/lake`,
          "/returns/status"
        ]
      )
    })
  )

  it.effect("a county leaves out the families without breakdowns, unless named, which is a ConfigError", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      yield* read({ baseUrl: sim.url, county: "lake" })
      assert.isTrue(sim.requests.every((r) => r.path.endsWith("/county/lake")))
      assert.isFalse(sim.requests.some((r) => r.path.includes("/district/")))
      const error = failureOf(
        yield* Effect.exit(read({ baseUrl: sim.url, county: "lake", endpoints: ["/returns/us-rep/district/all"] }))
      )
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.message, "no county breakdown")
    })
  )

  it.effect("maps every family as the feed model says", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const results = contests(yield* read({ baseUrl: sim.url }))
      const byId = (id: string) => results.filter((e) => e.data.contestId === id).map((e) => e.data)
      const governor = contestAt("/returns/governor")
      const [gov] = byId(idOf(governor))
      assert.strictEqual(gov!.office, "Governor")
      assert.strictEqual(gov!.title, governor.title)
      assert.strictEqual(gov!.updatedAt, "2026-12-04T17:00:00-08:00")
      assert.deepStrictEqual(
        gov!.selections.map((s) => [s.name, s.party, s.incumbent]),
        governor.choices.map((c) => [c.name, c.party, c.incumbent])
      )
      assert.isTrue(gov!.selections.some((s) => s.votes > 0 && s.percent === 0))
      const [spi] = byId(idOf(contestAt("/returns/superintendent-of-public-instruction")))
      assert.isTrue(spi!.selections.every((s) => s.party === null))
      const [primary] = byId("01000300000059")
      assert.deepStrictEqual([primary!.office, primary!.party], ["President", "American Independent"])
      const measures = contestAt("/returns/ballot-measures")
      const props = results.filter((e) => e.data.contestKind === "measure").map((e) => e.data)
      assert.deepStrictEqual(
        props.map((p) => [p.contestId, p.measure?.number, p.measure?.title, p.title]),
        measures.yesNo.map((m) => [
          ContestId.format(ContestId.make({ raceType: ContestId.RaceType["ballot-measures"], seat: Number(m.number) })),
          String(Number(m.number)),
          m.name,
          m.name
        ])
      )
      assert.isTrue(props.every((p) => p.selections.map((s) => s.name).join() === "Yes,No" && p.office === null))
      const appeals = results.filter((e) => e.data.office === "Courts of Appeal")
      assert.strictEqual(
        appeals.length,
        Election.contests.filter((c) => c.list === "courts-of-appeal").reduce((n, c) => n + c.yesNo.length, 0)
      )
      assert.isTrue(appeals.every((e) => e.key.includes("/justice/") && e.data.contestKind === "retention"))
      const unopposed = byId(idOf(contestAt("/returns/state-assembly/district/12")))[0]!
      assert.deepStrictEqual(
        unopposed.selections.map((s) => s.percent),
        [100]
      )
      const lagging = byId(idOf(contestAt("/returns/us-rep/district/7")))[0]!
      assert.isBelow(lagging.reporting.percent, 100)
      assert.deepStrictEqual(lagging.jurisdiction, { state: "CA", county: null, district: "7" })
      assert.strictEqual(lagging.office, "U.S. House of Representatives")
      const unexpired = results.find((e) => e.data.title.startsWith("U.S. Senate (Partial"))!
      assert.deepStrictEqual([unexpired.key, unexpired.data.contestId], ["us-senate-unexpired-term/59", null])
    })
  )

  it.effect("a default read passes over a family the election lacks, but a named one fails", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const president = (request: { readonly path: string }) => request.path === "/returns/president"
      sim.inject({ _tag: "Status", status: 404, body: "Not Found" }, { times: 10, match: president })
      const results = contests(yield* read({ baseUrl: sim.url }))
      assert.isFalse(results.some((e) => e.data.contestId === idOf(contestAt("/returns/president"))))
      assert.isTrue(results.some((e) => e.data.office === "Governor"))
      assert.strictEqual(sim.requests.filter(president).length, 1)
      const named = failureOf(yield* Effect.exit(read({ baseUrl: sim.url, endpoints: ["/returns/president"] })))
      assert.strictEqual(named._tag, "NotFound")
    })
  )

  it.effect("check passes on a default config whose election lacks the first family, and fails on a named one", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const president = (request: { readonly path: string }) => request.path === "/returns/president"
      sim.inject({ _tag: "Status", status: 404, body: "Not Found" }, { times: 2, match: president })
      const check = (config: Config.Config) =>
        Effect.exit(source.check({ rateLimit: unlimited, ...config }).pipe(Effect.provide(Source.layer)))
      assert.isTrue(Exit.isSuccess(yield* check({ baseUrl: sim.url })))
      const named = failureOf(yield* check({ baseUrl: sim.url, endpoints: ["/returns/president"] }))
      assert.strictEqual(named._tag, "NotFound")
    })
  )

  it.effect("faults on the wire go through core's retries and give the same events", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const config = { baseUrl: sim.url, endpoints: ["/returns/governor", "/returns/ballot-measures"] }
      const baseline = contests(yield* read(config)).map(essence)
      const measures = (request: { readonly path: string }) => request.path === "/returns/ballot-measures"
      const faults = [
        [{ _tag: "ResetMidBody" }, 1],
        [{ _tag: "TruncateBody" }, 1],
        [{ _tag: "SlowBody", pauseMillis: 5 }, 1],
        [{ _tag: "Status", status: 503 }, 3],
        [{ _tag: "Status", status: 429, headers: { "retry-after": "3" } }, 1]
      ] as const
      for (const [fault, times] of faults) {
        const before = sim.requests.length
        sim.inject(fault, { times, match: measures })
        assert.deepStrictEqual(contests(yield* read(config)).map(essence), baseline, fault._tag)
        const seen = sim.requests.slice(before).filter(measures)
        assert.strictEqual(seen.filter((r) => r.fault === fault._tag).length, times, fault._tag)
        assert.strictEqual(seen.length, fault._tag === "SlowBody" ? 1 : times + 1, fault._tag)
      }
    })
  )

  it.effect("ends each stream with a checkpoint of every body's SHA-256, and reads only the streams asked", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const config = {
        baseUrl: sim.url,
        endpoints: ["/returns/governor", "/returns/us-rep/district/all", "/returns/status"]
      }
      const items = yield* read(config)
      const checkpoints = items.filter((item) => item._tag === "Checkpoint")
      assert.deepStrictEqual([...new Set(checkpoints.map((c) => c.stream))], ["contests", "county-status"])
      // Core checkpoints after every request; the last of a stream ends it and holds every body's SHA-256.
      const ofContests = checkpoints.filter((c) => c.stream === "contests")
      assert.strictEqual(items.indexOf(ofContests.at(-1)!), contests(items).length + ofContests.length - 1)
      const { requests } = ofContests.at(-1)!.state as { requests: Record<string, { sha256: string }> }
      assert.deepStrictEqual(
        Object.values(requests).map((request) => request.sha256),
        [...new Map(contests(items).map((e) => [e.provenance.url, e.provenance.sha256])).values()]
      )
      const before = sim.requests.length
      const statusOnly = yield* read(config, { streams: ["county-status"] })
      assert.isTrue(events(statusOnly).every((e) => e.kind === "DatasetRow"))
      assert.deepStrictEqual(
        sim.requests.slice(before).map((r) => r.path),
        ["/returns/status"]
      )
      const catalog = yield* source.catalog(config).pipe(Effect.provide(Source.layer))
      assert.deepStrictEqual(
        catalog.map((s) => s.name),
        ["contests", "county-status"]
      )
      const unknown = failureOf(yield* Effect.exit(read(config, { streams: ["precincts"] })))
      assert.strictEqual(unknown._tag, "ConfigError")
    })
  )

  it.effect("a status body nested 6,000 deep is a DecodeError for that body, after the contests read before it", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      const depth = 6000
      const deep = `{"alameda":{"county":"1","detail":${"[".repeat(depth)}${"]".repeat(depth)}}}`
      sim.inject(
        { _tag: "Status", status: 200, headers: { "content-type": "application/json" }, body: deep },
        { match: (request) => request.path === "/returns/status" }
      )
      const items: Array<Source.ReadItem> = []
      const exit = yield* Conformance.withVirtualTime(
        source
          .read({ baseUrl: sim.url, rateLimit: unlimited, endpoints: ["/returns/governor", "/returns/status"] })
          .pipe(
            Stream.runForEach((item) => Effect.sync(() => void items.push(item))),
            Effect.provide(Source.layer),
            Effect.exit
          )
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "/returns/status")
      assert.include(error.message, "nested deeper than the 64 levels allowed")
      assert.strictEqual((error as SourceError.DecodeError).path?.startsWith("$.alameda.detail[0]"), true)
      assert.strictEqual(contests(items).length, 1)
      assert.isTrue(items.some((item) => item._tag === "Checkpoint" && item.stream === "contests"))
    })
  )

  it.effect("a county slug that cannot be part of a key is a DecodeError naming it, not a defect", () =>
    Effect.gen(function* () {
      const sim = yield* serve()
      sim.inject(
        { _tag: "Status", status: 200, body: '{"lake":{"county":"17"},"\\ud800":{"county":"99"}}' },
        { match: (request) => request.path === "/returns/status" }
      )
      const error = failureOf(yield* Effect.exit(read({ baseUrl: sim.url, endpoints: ["/returns/status"] })))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "lone surrogate")
      assert.strictEqual((error as SourceError.DecodeError).row, 1)
    })
  )
})
