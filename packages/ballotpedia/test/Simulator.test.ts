import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Generator, Simulator } from "../src/testing/index.ts"

const text = (file: Generator.File, start = 0) => Buffer.concat([...file.bytes(start)]).toString("utf8")

describe("the generator", () => {
  it("is deterministic, and a seed makes other data", () => {
    const a = Array.from(Generator.candidateRows(50, 7))
    assert.deepStrictEqual(Array.from(Generator.candidateRows(50, 7)), a)
    assert.notDeepEqual(Array.from(Generator.candidateRows(50, 8)), a)
    assert.deepStrictEqual(Generator.candidates(50, 7).row(31), a[31])
  })

  it("writes the nasty values the tests need", () => {
    const rows = Array.from(Generator.candidateRows(400, 1))
    const values = rows.flatMap((row) => Object.values(row))
    for (const [what, test] of [
      ["a quote", (v: string) => v.includes('"')],
      ["a comma", (v: string) => v.includes(",")],
      ["a line feed", (v: string) => v.includes("\n")],
      ["a CRLF", (v: string) => v.includes("\r\n")],
      ["an accent", (v: string) => /[À-ɏ]/.test(v)],
      ["an empty cell", (v: string) => v === ""]
    ] as const) {
      assert.isTrue(values.some(test), `no value has ${what}`)
    }
  })

  for (const format of ["json", "csv"] as const) {
    it(`${format}: the size is exact and bytes from any offset are the rest of the file`, () => {
      const file = Generator.file(Generator.candidates(300, 3), format, { csv: { bom: true } })
      const whole = Buffer.concat([...file.bytes()])
      assert.strictEqual(whole.byteLength, file.size)
      for (const start of [0, 1, 2, 3, 1000, 4096, 65_536, 70_001, file.size - 1, file.size]) {
        assert.isTrue(Buffer.concat([...file.bytes(start)]).equals(whole.subarray(start)), `from ${start}`)
      }
    })
  }

  it("JSON is an array of the rows; CSV has a header, CRLF and the optional BOM", () => {
    const table = Generator.candidates(20, 5)
    assert.deepStrictEqual(JSON.parse(text(Generator.file(table, "json"))), Array.from(Generator.candidateRows(20, 5)))
    const csv = text(Generator.file(table, "csv", { csv: { bom: true } }))
    assert.isTrue(csv.startsWith(`\uFEFFelection_year,state,`))
    assert.isTrue(csv.endsWith("\r\n"))
    assert.isFalse(text(Generator.file(table, "csv", { csv: { newline: "\n" } })).includes(",\r\n"))
  })

  it("damage replaces cells and breaks rows", () => {
    const table = Generator.candidates(3, 5)
    const damage = { cells: new Map([[1, { votes_for: "12a" }]]), broken: new Set([2]) }
    const json = JSON.parse(text(Generator.file(table, "json", { damage })))
    assert.strictEqual(json[1].votes_for, "12a")
    assert.isTrue(Array.isArray(json[2]))
    const lines = text(Generator.file(table, "csv", { damage })).split("\r\n")
    assert.isTrue(lines.at(-2)!.endsWith(",an extra field"))
  })
})

describe("the simulator", () => {
  it.effect("serves the API envelope, checks the key, and hands out links that expire", () =>
    Effect.gen(function* () {
      // A link lives long enough for any loaded machine to use it; expiry is checked on a second simulator.
      const sim = yield* Simulator.serve({ linkTtlMillis: 600_000 })
      const call = (path: string, init?: RequestInit) => Effect.promise(() => fetch(`${sim.url}${path}`, init))
      const list = yield* call("/getQueryList", { headers: { "x-api-key": sim.apiKey } })
      const body = (yield* Effect.promise(() => list.json())) as { success: boolean; data: Array<{ id: string }> }
      assert.isTrue(body.success)
      assert.deepStrictEqual(
        body.data.map((d) => d.id),
        ["1253", "1098", "1310"]
      )
      assert.strictEqual((yield* call("/getQueryList", { headers: { "x-api-key": "nope" } })).status, 403)

      const results = (id: string) =>
        call("/getQueryResults", {
          method: "POST",
          headers: { "x-api-key": sim.apiKey, "content-type": "application/json" },
          body: JSON.stringify({ id, format: "csv" })
        }).pipe(Effect.flatMap((response) => Effect.promise(() => response.json())))
      const missing = (yield* results("9999")) as { success: boolean; message: string }
      assert.isFalse(missing.success)
      assert.include(missing.message, "9999")

      const { data } = (yield* results("1310")) as { data: { url: string } }
      assert.match(data.url, /\/files\/metabase_query_results_1310\.csv\?AWSAccessKeyId=\w+&Expires=\d+&Signature=\w+$/)
      const file = yield* call(new URL(data.url).pathname + new URL(data.url).search)
      assert.strictEqual(file.status, 200)
      const etag = file.headers.get("etag")!
      const csv = yield* Effect.promise(() => file.text())
      assert.strictEqual(etag, sim.file("1310", "csv").etag)
      assert.strictEqual(Buffer.byteLength(csv), sim.file("1310", "csv").size)

      const { data: again } = (yield* results("1310")) as { data: { url: string } }
      const ranged = yield* Effect.promise(() =>
        fetch(again.url, { headers: { range: "bytes=100-", "if-range": etag } })
      )
      assert.strictEqual(ranged.status, 206)
      assert.strictEqual(yield* Effect.promise(() => ranged.text()), Buffer.from(csv).subarray(100).toString())

      // Links expire in real time, as S3's do. Only a lower bound on elapsed time is assumed here.
      const shortLived = yield* Simulator.serve({ linkTtlMillis: 1 })
      const link = yield* Effect.promise(() =>
        fetch(`${shortLived.url}/getQueryResults`, {
          method: "POST",
          headers: { "x-api-key": shortLived.apiKey, "content-type": "application/json" },
          body: JSON.stringify({ id: "1310", format: "csv" })
        }).then((response) => response.json() as Promise<{ data: { url: string } }>)
      )
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
      const expired = yield* Effect.promise(() => fetch(link.data.url))
      assert.strictEqual(expired.status, 403)
      assert.include(yield* Effect.promise(() => expired.text()), "<Message>Request has expired</Message>")

      const { data: fresh } = (yield* results("1310")) as { data: { url: string } }
      const unchanged = yield* Effect.promise(() => fetch(fresh.url, { headers: { "if-none-match": etag } }))
      assert.strictEqual(unchanged.status, 304)
      sim.regenerate("1310")
      assert.notStrictEqual(sim.file("1310", "csv").etag, etag)
    })
  )
})
