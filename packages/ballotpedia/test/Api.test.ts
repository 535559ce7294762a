import { assert, describe, it } from "@effect/vitest"
import { Source, type SourceError } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Effect, Exit, Logger, Redacted, References, Schema } from "effect"
import * as Settings from "../src/Config.ts"
import { Config, source } from "../src/index.ts"
import { Simulator } from "../src/testing/index.ts"
import { collect, configFor, events, failure, readAll, tempDirectory } from "./support.ts"

const run = <A, E>(effect: Effect.Effect<A, E, Source.Services>) =>
  effect.pipe(Effect.provide(Source.layer), Conformance.withVirtualTime)

describe("config", () => {
  it.effect("decodes from JSON, the key from a plain string to Redacted", () =>
    Effect.gen(function* () {
      const config = yield* Source.decodeConfig(source, {
        apiKey: "from-the-environment",
        datasets: ["1098"],
        format: "csv",
        rateLimit: { limit: 2, window: "1 second" },
        retry: { maxAttempts: 3, baseDelay: "250 millis" }
      })
      assert.isTrue(Redacted.isRedacted(config.apiKey))
      assert.strictEqual(Redacted.value(config.apiKey), "from-the-environment")
      assert.notInclude(String(config.apiKey), "from-the-environment")
      assert.deepStrictEqual(config.datasets, ["1098"])
      assert.strictEqual(config.format, "csv")
      assert.strictEqual(config.rateLimit?.limit, 2)
      assert.strictEqual(config.retry?.maxAttempts, 3)
    })
  )

  it("defaults: the public API, JSON, malformed rows skipped, Ballotpedia's documented 5 requests per second", () => {
    const settings = Settings.settings({ apiKey: Redacted.make("k") })
    assert.strictEqual(settings.baseUrl, "https://api.ballotpedia.org")
    assert.strictEqual(settings.format, "json")
    assert.strictEqual(settings.malformedRows, "skip")
    assert.deepStrictEqual(settings.rateLimit, { limit: 5, window: "1 second" })
    assert.strictEqual(settings.datasets, undefined)
  })

  it.effect("a bad config is a ConfigError naming every offending key", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Source.decodeConfig(source, { format: "xml", malformedRows: "ignore", kinds: { "1": "Contest" } })
      )
      const error = failure(exit) as SourceError.ConfigError
      assert.strictEqual(error._tag, "ConfigError")
      for (const key of ["apiKey", "format", "malformedRows", "kinds"]) assert.include(error.detail, key)
    })
  )

  it.effect("encodes back to JSON with the key as a plain string", () =>
    Effect.gen(function* () {
      const encoded = yield* Schema.encodeEffect(Config)({ apiKey: Redacted.make("k-1"), format: "json" })
      assert.deepStrictEqual(encoded, { apiKey: "k-1", format: "json" })
    })
  )
})

describe("catalog", () => {
  it.effect("one bulk stream per dataset, its kind from the title", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const catalog = yield* run(source.catalog(configFor(sim)))
      assert.deepStrictEqual(
        catalog.map((s) => [s.name, s.kind, s.mode]),
        [
          ["dataset:1253", "Candidate", "bulk"],
          ["dataset:1098", "Endorsement", "bulk"],
          ["dataset:1310", "DatasetRow", "bulk"]
        ]
      )
      assert.strictEqual(
        catalog[1]!.description,
        "Endorsements Sample for Data Clients: List endorsements for 2020 candidates"
      )
    })
  )

  it.effect("datasets and kinds from the config", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const catalog = yield* run(
        source.catalog(configFor(sim, { datasets: ["1310", "1098"], kinds: { "1098": "DatasetRow" } }))
      )
      assert.deepStrictEqual(
        catalog.map((s) => [s.name, s.kind]),
        [
          ["dataset:1098", "DatasetRow"],
          ["dataset:1310", "DatasetRow"]
        ]
      )
    })
  )

  it.effect("a dataset the API does not list is a ConfigError", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const exit = yield* Effect.exit(run(source.check(configFor(sim, { datasets: ["1253", "4040"] }))))
      const error = failure(exit) as SourceError.ConfigError
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(error.detail, "4040")
    })
  )
})

describe("the envelope", () => {
  const failed = (message: string) => ({
    _tag: "Status" as const,
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ success: false, data: {}, message })
  })

  it.effect("success:false on HTTP 200 is an UpstreamFailure carrying the message, never retried", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const directory = yield* tempDirectory
      sim.inject(failed("State and election date must be supplied."), {
        match: (request) => request.path === "/getQueryResults"
      })
      const { exit } = yield* collect(source.read(configFor(sim)), directory)
      const error = failure(exit) as SourceError.UpstreamFailure
      assert.strictEqual(error._tag, "UpstreamFailure")
      assert.strictEqual(error.upstreamMessage, "State and election date must be supplied.")
      assert.strictEqual(error.url, `${sim.url}/getQueryResults`)
      assert.strictEqual(sim.requests.filter((r) => r.path === "/getQueryResults").length, 1)
    })
  )

  it.effect("on getQueryList too, and a message echoing the key is scrubbed", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      sim.inject(failed(`key ${sim.apiKey} is suspended`), { match: (request) => request.path === "/getQueryList" })
      const exit = yield* Effect.exit(run(source.check(configFor(sim))))
      const error = failure(exit) as SourceError.UpstreamFailure
      assert.strictEqual(error._tag, "UpstreamFailure")
      assert.strictEqual(error.upstreamMessage, "key <redacted> is suspended")
    })
  )

  it.effect("a body that is not the envelope is a DecodeError with its path", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      sim.inject(
        { _tag: "Status", status: 200, body: JSON.stringify({ success: true, data: [{ id: 1098 }], message: null }) },
        { match: (request) => request.path === "/getQueryList" }
      )
      const exit = yield* Effect.exit(run(source.check(configFor(sim))))
      const error = failure(exit) as SourceError.DecodeError
      assert.strictEqual(error._tag, "DecodeError")
      assert.strictEqual(error.path, "$.data[0].id")
    })
  )
})

describe("credentials", () => {
  it.effect("a bad key is an AuthError after one request, and the key appears in no log, error or event", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve({ apiKey: "the-real-key-4d1f" })
      const directory = yield* tempDirectory
      const logs: Array<string> = []
      const capture = Logger.make((options) => void logs.push(`${options.logLevel} ${String(options.message)}`))
      const badKey = "the-wrong-key-9c2e-0123456789"
      const { exit, items } = yield* collect(
        source.read(configFor(sim, { apiKey: Redacted.make(badKey) })),
        directory
      ).pipe(Effect.provide(Logger.layer([capture])), Effect.provideService(References.MinimumLogLevel, "All"))
      const error = failure(exit) as SourceError.AuthError
      assert.strictEqual(error._tag, "AuthError")
      assert.strictEqual(error.status, 403)
      assert.strictEqual(sim.requests.length, 1, "the refused request was retried")
      assert.deepStrictEqual(items, [])
      const said = [...logs, error.message, JSON.stringify(error), String(Exit.isFailure(exit) ? exit.cause : "")]
      for (const text of said) assert.notInclude(text, badKey)
      assert.isAbove(logs.length, 0, "nothing was logged: the capture does not work")
    })
  )

  it.effect("a good read logs, errs and emits neither the key nor a link's signature", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const directory = yield* tempDirectory
      const logs: Array<string> = []
      const capture = Logger.make((options) => void logs.push(String(options.message)))
      sim.expireNextLinks(1)
      sim.dropFileAt(Math.floor(sim.file("1253", "json").size / 2))
      const items = yield* readAll(configFor(sim), directory).pipe(
        Effect.provide(Logger.layer([capture])),
        Effect.provideService(References.MinimumLogLevel, "All")
      )
      assert.isAbove(events(items).length, 0)
      const text = [...logs, JSON.stringify(items)].join("\n")
      assert.notInclude(text, sim.apiKey)
      assert.notMatch(text, /Signature=|AWSAccessKeyId|Expires=/)
      assert.include(text, "expired", "the expired link was not logged")
      assert.isTrue(
        sim.fileRequests().some((r) => r.status === 206),
        "the dropped download was not resumed"
      )
      for (const event of events(items)) {
        assert.match(event.provenance.url, /^http:\/\/127\.0\.0\.1:\d+\/files\/metabase_query_results_\d+\.json$/)
      }
    })
  )

  it.effect("the file host is never sent the key", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const directory = yield* tempDirectory
      yield* readAll(configFor(sim), directory)
      assert.isAbove(sim.fileRequests().length, 0)
      for (const request of sim.fileRequests()) assert.isUndefined(request.headers["x-api-key"])
      for (const request of sim.requests.filter(Simulator.isApiRequest)) {
        assert.strictEqual(request.headers["x-api-key"], sim.apiKey)
      }
    })
  )
})
