import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Simulator as Sim } from "@electfeed/core/simulator"
import { Effect, Logger, Redacted } from "effect"
import { events, readAll, tempDirectory } from "./support.ts"

/**
 * A Ballotpedia-like API listing datasets with whatever ids, each file a small JSON array. Links name
 * files by position, so that any id can be served.
 */
const apiListing = (ids: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let base = ""
    const rows = JSON.stringify([
      { id: "1", name: "first" },
      { id: "2", name: "second" }
    ])
    const sim = yield* Sim.serve((request) => {
      const json = (data: unknown) => ({
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ success: true, data, message: null })
      })
      if (request.path === "/getQueryList") return json(ids.map((id) => ({ id, title: "Measures" })))
      if (request.path === "/getQueryResults") {
        return json({ url: `${base}/files/${ids.indexOf(JSON.parse(request.body).id)}.json?Signature=s` })
      }
      return { status: 200, headers: { "content-type": "application/json", etag: '"v1"' }, body: rows }
    })
    base = sim.url
    return { baseUrl: sim.url, apiKey: Redacted.make("key") }
  })

describe("dataset files", () => {
  it.effect("ids with a lone surrogate or a control character are skipped once, when listed; the others are read", () =>
    Effect.gen(function* () {
      const logs: Array<string> = []
      const capture = Logger.make((options) => void logs.push(`${options.logLevel} ${String(options.message)}`))
      const ids = ["1253", "\ud800", "x\udc00y", "nul\u0000", "tab\t", "é 候"]
      const config = yield* apiListing(ids)
      const read = events(yield* readAll(config, yield* tempDirectory).pipe(Effect.provide(Logger.layer([capture]))))
      assert.deepStrictEqual(
        read.map((event) => event.stream),
        ["dataset:1253", "dataset:1253", "dataset:é 候", "dataset:é 候"]
      )
      const warnings = logs.filter((line) => line.includes("skipping the datasets"))
      assert.strictEqual(warnings.length, 1)
      assert.include(warnings[0], String.raw`"\ud800", "x\udc00y", "nul\u0000", "tab\t"`)
      assert.isTrue(warnings[0]!.isWellFormed())
    })
  )

  it.effect(
    "a dataset whose id climbs out of the download directory is read inside it; nothing outside is touched",
    () =>
      Effect.gen(function* () {
        const root = yield* tempDirectory
        const directory = path.join(root, "a", "downloads")
        const precious = path.join(root, "a", "outside", "precious.json")
        fs.mkdirSync(directory, { recursive: true })
        fs.mkdirSync(path.dirname(precious))
        fs.writeFileSync(precious, "precious")
        const ids = ["../../../outside/precious", "a b/é%"]
        const read = events(yield* readAll(yield* apiListing(ids), directory))
        assert.deepStrictEqual(
          read.map((event) => event.stream),
          ids.flatMap((id) => [`dataset:${id}`, `dataset:${id}`])
        )
        assert.strictEqual(fs.readFileSync(precious, "utf8"), "precious")
        assert.deepStrictEqual(fs.readdirSync(path.dirname(precious)), ["precious.json"])
        assert.deepStrictEqual(fs.readdirSync(directory), [])
      })
  )
})
