import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { HttpClientRequest } from "effect/http"
import { Source } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import { failureOf } from "../src/testing/internal/harness.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { keys, read, readIn, served } from "./fixtures/DefineReads.ts"
import * as Example from "./fixtures/Example.ts"

const contests = { streams: ["contests"] }

describe("Source.define", () => {
  it.effect("builds the catalog from the streams", () =>
    Effect.gen(function* () {
      const catalog = yield* Example.source.catalog(Example.config("http://127.0.0.1:1"))
      assert.deepStrictEqual(
        catalog.map((s) => [s.name, s.kind, s.mode]),
        [
          ["contests", "ContestResult", "snapshot"],
          ["precincts", "DatasetRow", "bulk"]
        ]
      )
      assert.strictEqual(Example.source.connector, "example@0.0.0")
    }).pipe(Effect.provide(Source.layer))
  )

  it("checks an entity's data against its stream's kind", () => {
    Source.snapshot({
      kind: "DatasetRow",
      key: "k",
      description: "d",
      request: HttpClientRequest.get("/"),
      body: Schema.Struct({ value: Schema.String }),
      // @ts-expect-error: a DatasetRow stream cannot emit ContestResult data
      entities: () => [{ key: "k", data: { contestId: "c" } }]
    })
  })

  it.effect("reads only the streams asked for; an unknown stream is a ConfigError", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      const items = yield* read(sim.url, contests)
      assert.deepStrictEqual(keys(items), ["contests example/mayor", "contests example/measure-a"])
      assert.isFalse(
        sim.requests.some((r) => r.path.startsWith("/v1/exports")),
        "an unselected stream was read"
      )
      const exit = yield* Effect.exit(read(sim.url, { streams: ["contests", "turnout"] }))
      assert.strictEqual(failureOf(exit)?._tag, "ConfigError")
      assert.include(failureOf(exit)?.message, "turnout")
    })
  )

  it.effect("check makes the first request of each stream", () =>
    Effect.gen(function* () {
      const sim = yield* Example.serveWith(served())
      yield* withVirtualTime(Example.source.check(Example.config(sim.url)).pipe(Effect.provide(Source.layer)))
      assert.deepStrictEqual(
        sim.requests.map((r) => `${r.method} ${r.path}`),
        ["GET /v1/contests", "POST /v1/exports/precincts"]
      )
    })
  )

  it.effect("takes its streams from the API when asked to, whatever their names", () =>
    Effect.gen(function* () {
      const ids = ["a", "../b", "c/ d"]
      const sim = yield* Simulator.serve((request) =>
        request.path === "/datasets"
          ? { status: 200, body: JSON.stringify(ids) }
          : request.path === "/link"
            ? { status: 200, body: JSON.stringify({ url: `http://${request.headers.host}/files/rows.json` }) }
            : { status: 200, headers: { "content-type": "application/json" }, body: '[{"id":"1"}]' }
      )
      const source = Source.define({
        id: "listed",
        package: { name: "listed", version: "1.0.0" },
        description: "one stream per dataset the API lists",
        config: Schema.Struct({ url: Schema.String }),
        http: (config) => ({ baseUrl: config.url }),
        streams: ({ client }) =>
          Effect.map(client.json(HttpClientRequest.get("/datasets"), Schema.Array(Schema.String)), ({ value }) =>
            Object.fromEntries(
              value.map((dataset) => [
                `dataset:${dataset}`,
                Source.bulk({
                  kind: "DatasetRow",
                  key: "<dataset>/<id>",
                  description: `the dataset ${dataset}`,
                  link: ({ client }) =>
                    Effect.map(
                      client.json(HttpClientRequest.post("/link"), Schema.Struct({ url: Schema.String })),
                      ({ value }) => value.url
                    ),
                  format: "json",
                  row: Schema.Struct({ id: Schema.String }),
                  entity: (row, { index }) => ({
                    key: [dataset, row.id],
                    data: { dataset, row: index, columns: { id: row.id } }
                  })
                })
              ])
            )
          )
      })
      const config = { url: sim.url }
      const catalog = yield* source.catalog(config).pipe(Effect.provide(Source.layer))
      assert.deepStrictEqual(
        catalog.map((s) => s.name),
        ids.map((id) => `dataset:${id}`)
      )
      const readListed = (options?: Source.ReadOptions) => readIn(source, config, options)
      assert.deepStrictEqual(keys(yield* readListed()), [
        "dataset:a a/1",
        "dataset:../b ..%2Fb/1",
        "dataset:c/ d c%2F%20d/1"
      ])
      assert.deepStrictEqual(keys(yield* readListed({ streams: ["dataset:../b"] })), ["dataset:../b ..%2Fb/1"])
      const unknown = yield* Effect.exit(readListed({ streams: ["dataset:z"] }))
      assert.strictEqual(failureOf(unknown)?._tag, "ConfigError")
    })
  )
})
