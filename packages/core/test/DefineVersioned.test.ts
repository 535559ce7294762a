import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import { Source } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import { keys, lastCheckpoints, readIn } from "./fixtures/DefineReads.ts"

/**
 * A source of one versioned stream, `lines`: `/version.txt` names the version, `/v<version>.txt` is its
 * file, one entity per line.
 */
const linesSource = (files: Record<string, string>, current: { version: string }) =>
  Effect.map(
    Simulator.serve((request) => {
      if (request.path === "/version.txt") return { status: 200, body: current.version }
      const body = files[request.path]
      return body === undefined ? { status: 404, body: "Not Found" } : { status: 200, body }
    }),
    (sim) => ({
      sim,
      config: { url: sim.url },
      source: Source.define({
        id: "lines",
        package: { name: "lines", version: "1.0.0" },
        description: "lines of a versioned file",
        config: Schema.Struct({ url: Schema.String }),
        http: (config) => ({ baseUrl: config.url }),
        streams: {
          lines: Source.versioned({
            kind: "DatasetRow",
            key: "the line",
            description: "lines",
            version: () => HttpClientRequest.get("/version.txt"),
            parseVersion: (body) => (/^\d+$/.test(body.text) ? body.text : { error: "expected a version number" }),
            file: (version) => `/v${version}.txt`,
            extension: "txt",
            entities: (bytes) =>
              Stream.decodeText(bytes).pipe(
                Stream.splitLines,
                Stream.filter((line) => line !== ""),
                Stream.map((line, index) => ({
                  key: line,
                  data: { dataset: "lines", row: index, columns: { line } }
                }))
              ),
            settings: () => ({ checkpointEvery: 2 })
          })
        }
      })
    })
  )

describe("Source.versioned", () => {
  it.effect("a checkpoint every N entities; resumed mid-file, the rest and nothing more", () =>
    Effect.gen(function* () {
      const { source, config } = yield* linesSource({ "/v1.txt": "a\nb\nc\nd\ne\n" }, { version: "1" })
      const items = yield* readIn(source, config)
      assert.deepStrictEqual(
        items.map((item) => (item._tag === "Event" ? item.event.key : item._tag === "Checkpoint" ? "|" : "?")),
        ["a", "b", "|", "c", "d", "|", "e", "|"]
      )
      const second = items.filter((item) => item._tag === "Checkpoint")[1]!
      const resumed = yield* readIn(source, config, {
        checkpoints: { lines: second._tag === "Checkpoint" ? second.state : null }
      })
      assert.deepStrictEqual(keys(resumed), ["lines e"])
    })
  )

  it.effect("an unchanged version downloads nothing; a new one is read whole", () =>
    Effect.gen(function* () {
      const current = { version: "1" }
      const { sim, source, config } = yield* linesSource({ "/v1.txt": "a\nb\n", "/v2.txt": "a\nb\nc\n" }, current)
      const first = yield* readIn(source, config)
      const before = sim.requests.length
      const outcomes: Array<string> = []
      const again = yield* readIn(source, config, { checkpoints: lastCheckpoints(first) }).pipe(
        Effect.provideService(Source.SnapshotListener, (event) => Effect.sync(() => outcomes.push(event.outcome)))
      )
      assert.deepStrictEqual(keys(again), [])
      assert.deepStrictEqual(outcomes, ["same-body"])
      assert.deepStrictEqual(
        sim.requests.slice(before).map((r) => r.path),
        ["/version.txt"]
      )
      current.version = "2"
      const next = yield* readIn(source, config, { checkpoints: lastCheckpoints(again) })
      assert.deepStrictEqual(keys(next), ["lines a", "lines b", "lines c"])
    })
  )

  it.effect("a version document that names no version is a DecodeError", () =>
    Effect.gen(function* () {
      const { source, config } = yield* linesSource({}, { version: "<html>" })
      const error = yield* Effect.flip(readIn(source, config))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "expected a version number")
    })
  )
})
