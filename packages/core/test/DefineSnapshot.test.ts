import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Logger, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import { Source } from "../src/index.ts"
import { readAll, withVirtualTime } from "../src/testing/Conformance.ts"
import { failureOf } from "../src/testing/internal/harness.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { keys, lastCheckpoints, read, readTold, served } from "./fixtures/DefineReads.ts"
import * as Example from "./fixtures/Example.ts"

const contests = { streams: ["contests"] }

describe("Source.snapshot", () => {
  it.effect("a 304 to the conditional GET decodes nothing and emits nothing", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      const first = yield* readTold(sim.url, contests)
      assert.deepStrictEqual(first.outcomes, ["decoded"])
      const again = yield* readTold(sim.url, { ...contests, checkpoints: lastCheckpoints(first.items) })
      assert.deepStrictEqual(again.outcomes, ["not-modified"])
      assert.deepStrictEqual(keys(again.items), [])
      const last = sim.requests.at(-1)!
      assert.isDefined(last.headers["if-none-match"])
      assert.strictEqual(last.status, 304)
      // The checkpoint still holds the request's validators, for the next poll.
      assert.deepStrictEqual(lastCheckpoints(again.items), lastCheckpoints(first.items))
    })
  )

  it.effect("a body with the SHA-256 read before, sent without validators, is not decoded or emitted", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => ({ status: 200, body: '{"value":"same"}' }))
      const source = Source.define({
        id: "plain",
        package: { name: "plain", version: "1.0.0" },
        description: "a document without ETag",
        config: Schema.Struct({ url: Schema.String }),
        http: (config) => ({ baseUrl: config.url }),
        streams: {
          rows: Source.snapshot({
            kind: "DatasetRow",
            key: "the value",
            description: "one document",
            request: HttpClientRequest.get("/doc"),
            body: Schema.Struct({ value: Schema.String }),
            entities: (body) => [{ key: body.value, data: { dataset: "doc", row: 0, columns: { value: body.value } } }]
          })
        }
      })
      const outcomes: Array<string> = []
      const readPlain = (checkpoints?: Source.ReadOptions["checkpoints"]) =>
        withVirtualTime(readAll(source, { url: sim.url }, { checkpoints })).pipe(
          Effect.provideService(Source.SnapshotListener, (event) => Effect.sync(() => outcomes.push(event.outcome)))
        )
      const first = yield* readPlain()
      const again = yield* readPlain(lastCheckpoints(first))
      assert.deepStrictEqual(outcomes, ["decoded", "same-body"])
      assert.deepStrictEqual(keys(first), ["rows same"])
      assert.deepStrictEqual(keys(again), [])
      assert.isUndefined(sim.requests.at(-1)!.headers["if-none-match"])
    })
  )

  it.effect("a changed body is decoded and emitted", () =>
    Effect.gen(function* () {
      const data = served()
      const sim = yield* Example.serveWith(data)
      const first = yield* readTold(sim.url, contests)
      data.contests = { contests: [{ ...Example.data.contests[0]!, reporting: { done: 40, of: 40 } }] }
      const again = yield* readTold(sim.url, { ...contests, checkpoints: lastCheckpoints(first.items) })
      assert.deepStrictEqual(again.outcomes, ["decoded"])
      assert.deepStrictEqual(keys(again.items), ["contests example/mayor"])
    })
  )

  it.effect("a checkpoint of another shape is treated as absent, with a warning", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      const logged: Array<string> = []
      const logger = Logger.make(({ message }) => void logged.push(String(message)))
      const items = yield* read(sim.url, { ...contests, checkpoints: { contests: { sha256: "0".repeat(64) } } }).pipe(
        Effect.provide(Logger.layer([logger]))
      )
      assert.deepStrictEqual(keys(items), ["contests example/mayor", "contests example/measure-a"])
      assert.isTrue(
        logged.some((line) => line.includes("ignoring the checkpoint of contests")),
        `no warning: ${logged.join("; ")}`
      )
    })
  )

  it.effect("key parts are encoded, and one that is not well-formed text is a DecodeError", () =>
    Effect.gen(function* () {
      const data = served()
      const contest = Example.data.contests[0]!
      data.contests = { contests: [{ ...contest, id: "a/b" }] }
      const sim = yield* Example.serveWith(data)
      assert.deepStrictEqual(keys(yield* read(sim.url, contests)), ["contests example/a%2Fb"])
      data.contests = { contests: [{ ...contest, id: "bad\uD800" }] }
      const exit = yield* Effect.exit(read(sim.url, contests))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(failureOf(exit)?._tag, "DecodeError")
    })
  )
})

describe("Source.snapshot of many requests", () => {
  const Body = Schema.Array(Schema.String)
  const many = (optional: boolean, paths: ReadonlyArray<string> = ["/a", "/missing", "/b"]) =>
    Source.define({
      id: "many",
      package: { name: "many", version: "1.0.0" },
      description: "several documents, one stream",
      config: Schema.Struct({ url: Schema.String }),
      http: (config) => ({ baseUrl: config.url }),
      streams: {
        rows: Source.snapshot({
          kind: "DatasetRow",
          key: "the value",
          description: "values",
          requests: () => paths.map((path) => HttpClientRequest.get(path)),
          body: Body,
          entities: (values, { request }) =>
            values.map((value) => ({ key: value, data: { dataset: "rows", row: 0, columns: { from: request.url } } })),
          optional: (request) => optional && request.url === "/missing"
        })
      }
    })
  const serveMany = Simulator.serve((request) =>
    request.path === "/a"
      ? { status: 200, body: '["x","y"]' }
      : request.path === "/b"
        ? { status: 200, body: '["y","z"]' }
        : { status: 404, body: "not found" }
  )

  it.effect("passes over a 404 to an optional request, and keeps the first of a key two bodies give", () =>
    Effect.gen(function* () {
      const sim = yield* serveMany
      const outcomes: Array<string> = []
      const items = yield* withVirtualTime(readAll(many(true), { url: sim.url })).pipe(
        Effect.provideService(Source.SnapshotListener, (event) => Effect.sync(() => outcomes.push(event.outcome)))
      )
      assert.deepStrictEqual(outcomes, ["decoded", "not-found", "decoded"])
      assert.deepStrictEqual(
        items.flatMap((item) =>
          item._tag === "Event" && item.event.kind === "DatasetRow"
            ? [`${item.event.key} ${item.event.data.columns.from}`]
            : []
        ),
        ["x /a", "y /a", "z /b"]
      )
    })
  )

  it.effect("fails NotFound on a 404 to a request that is not optional", () =>
    Effect.gen(function* () {
      const sim = yield* serveMany
      const exit = yield* Effect.exit(withVirtualTime(readAll(many(false), { url: sim.url })))
      assert.strictEqual(failureOf(exit)?._tag, "NotFound")
    })
  )

  it.effect("check asks the first request that must be there, and passes over a 404 when every one is optional", () =>
    Effect.gen(function* () {
      const sim = yield* serveMany
      const checked = (paths: ReadonlyArray<string>, optional: boolean) =>
        Effect.exit(many(optional, paths).check({ url: sim.url }).pipe(Effect.provide(Source.layer)))
      assert.isTrue(Exit.isSuccess(yield* checked(["/missing", "/a"], true)))
      assert.deepStrictEqual(
        sim.requests.map((request) => request.path),
        ["/a"]
      )
      assert.isTrue(Exit.isSuccess(yield* checked(["/missing"], true)))
      assert.strictEqual(failureOf(yield* checked(["/missing", "/a"], false))?._tag, "NotFound")
    })
  )
})
