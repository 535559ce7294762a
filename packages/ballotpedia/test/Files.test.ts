import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Simulator as Sim } from "@electfeed/core/simulator"
import { Effect, Redacted } from "effect"
import { fileName } from "../src/Dataset.ts"
import { events, readAll, tempDirectory } from "./support.ts"

const odd = [
  "1253",
  "../../../outside/precious",
  "..",
  ".",
  "",
  "a/b",
  "a%2Fb",
  "a%252Fb",
  "a\\b",
  "é",
  "e\u0301",
  "\ud800",
  "\udc00",
  "nul\u0000",
  "CON",
  " ",
  "x".repeat(500),
  `${"x".repeat(499)}y`
]

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
  it("every id gives a plain file name of its own; an ordinary id its usual one", () => {
    const names = odd.map((id) => fileName(id, "json"))
    assert.strictEqual(new Set(names).size, odd.length)
    for (const name of names) {
      assert.match(name, /^ballotpedia-[A-Za-z0-9_%~-]*\.json$/)
      assert.notInclude(name, "..")
      assert.isAtMost(Buffer.byteLength(name), 160)
    }
    assert.strictEqual(fileName("1253", "csv"), "ballotpedia-1253.csv")
    assert.strictEqual(fileName("conformance-1253", "json"), "ballotpedia-conformance-1253.json")
  })

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
