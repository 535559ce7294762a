/**
 * Hostile report zips and documents: each read ends in a typed, located `DecodeError`, never a defect or
 * a hang, and nothing in a zip is written to disk by its name.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import { zipSync } from "fflate"
import * as Testing from "../src/testing/index.ts"
import { configOf, eventsOf, read, serveReports } from "./support.ts"

const encoder = new TextEncoder()
const head = '<?xml version="1.0"?>\n<ElectionResult>\n<Timestamp>11/3/2026 9:00:00 PM EST</Timestamp>\n'
const contest = (attributes: string, unit = '<County name="Abernathy" votes="3" />') =>
  `<Contest key="1" text="Governor" voteFor="1" isQuestion="false"><Choice key="1" text="A (Dem)" party="NP" totalVotes="3"><VoteType name="Election Day" ${attributes}>${unit}</VoteType></Choice></Contest>`

const failureOf = (xml: string | Uint8Array, more: Parameters<typeof configOf>[1] = { site: "GA" }, zip?: Uint8Array) =>
  Effect.gen(function* () {
    const sim = yield* serveReports("7", {
      detail: zip ?? Testing.Zip.zipOf("detail.xml", [typeof xml === "string" ? xml : new TextDecoder().decode(xml)])
    })
    const exit = yield* Effect.exit(read(configOf(sim.url, more), { streams: ["results"] }))
    assert.isTrue(Exit.isFailure(exit), "the read succeeded")
    if (Exit.isSuccess(exit)) return assert.fail("unreachable")
    assert.isFalse(Cause.hasDies(exit.cause), `the read died: ${Cause.pretty(exit.cause)}`)
    const error = Cause.findErrorOption(exit.cause)
    assert.isTrue(error._tag === "Some" && error.value._tag === "DecodeError", Cause.pretty(exit.cause))
    return (error as { value: { message: string; path?: string } }).value
  })

describe("hostile zips", () => {
  it.effect("a zip bomb stops at the inflated size allowed", () =>
    Effect.gen(function* () {
      // Well-formed as far as it goes, so that only the size can stop it.
      const bomb = zipSync({ "detail.xml": encoder.encode(head + "<Note/>".repeat(2_500_000)) }, { level: 9 })
      assert.isBelow(bomb.byteLength, 200_000)
      const error = yield* failureOf("", { site: "GA", maxUncompressedBytes: 1024 * 1024 }, bomb)
      assert.include(error.message, "inflates to more than the 1048576 bytes allowed")
    })
  )

  it.effect("entry names are never paths: a zip without detail.xml fails, and writes nothing", () =>
    Effect.gen(function* () {
      const marker = path.join(os.tmpdir(), `clarity-escape-${process.pid}.xml`)
      const zip = zipSync({ [`../../../../../../..${marker}`]: encoder.encode(head) })
      const error = yield* failureOf("", { site: "GA" }, zip)
      assert.include(error.message, "the zip holds no detail.xml")
      assert.isFalse(fs.existsSync(marker))
    })
  )

  it.effect("an HTML page served as the zip, and a zip cut short", () =>
    Effect.gen(function* () {
      const html = yield* failureOf(
        "",
        { site: "GA" },
        encoder.encode("<html><body>Site under maintenance</body></html>")
      )
      assert.include(html.message, "the zip holds no detail.xml")
      const whole = Testing.Zip.zipOf("detail.xml", [head, contest('votes="3"'), "</ElectionResult>"])
      const cut = yield* failureOf("", { site: "GA" }, whole.subarray(0, Math.floor(whole.byteLength / 2)))
      assert.match(cut.message, /the zip ends inside detail\.xml|cannot be inflated|not a readable zip/)
    })
  )
})

describe("zip entries", () => {
  it.effect("a detail.xml stored without compression reads as a deflated one does", () =>
    Effect.gen(function* () {
      const xml = encoder.encode(`${head}${contest('votes="3"')}</ElectionResult>`)
      const dataOf = (zip: Uint8Array) =>
        Effect.gen(function* () {
          const sim = yield* serveReports("7", { detail: zip })
          const items = yield* read(configOf(sim.url, { site: "GA" }), { streams: ["results"] })
          return eventsOf(items).map((event) => event.data)
        })
      const stored = yield* dataOf(zipSync({ "detail.xml": xml }, { level: 0 }))
      const deflated = yield* dataOf(zipSync({ "detail.xml": xml }, { level: 6 }))
      assert.isAbove(deflated.length, 0)
      assert.deepStrictEqual(stored, deflated)
    })
  )
})

describe("hostile documents", () => {
  it.effect("malformed XML is located by line and column", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(`${head}<Contest key="1" text="x">\n<Choice key=1></Contest>`)
      assert.match(error.path ?? "", /^detail\.xml:\d+:\d+$/)
      assert.include(error.message, "not well-formed XML")
    })
  )

  it.effect("a document that ends early", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(`${head}<Contest key="1" text="x">`)
      assert.include(error.message, "not well-formed XML")
    })
  )

  it.effect("nesting 100,000 deep stops at the depth allowed", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(`${head}${"<a>".repeat(100_000)}`)
      assert.include(error.message, "nest deeper than the 32 levels allowed")
    })
  )

  it.effect("a 4 MB text node is refused before it is held", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        `${head}<ElectionName>${"x".repeat(4 * 1024 * 1024)}</ElectionName></ElectionResult>`
      )
      assert.include(error.message, "characters of one text or tag")
    })
  )

  it.effect("bytes that are not UTF-8", () =>
    Effect.gen(function* () {
      const bytes = Buffer.concat([
        Buffer.from(head),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from("</ElectionResult>")
      ])
      const zip = zipSync({ "detail.xml": bytes })
      const error = yield* failureOf("", { site: "GA" }, zip)
      assert.include(error.message, "bytes that are not UTF-8")
    })
  )

  it.effect("a DOCTYPE (entity expansion) is refused", () =>
    Effect.gen(function* () {
      const laughs =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><ElectionResult>&lol2;</ElectionResult>'
      const error = yield* failureOf(laughs)
      assert.include(error.message, "DOCTYPE")
    })
  )

  it.effect("another root, a count that is not one, a unit of another level", () =>
    Effect.gen(function* () {
      const root = yield* failureOf('<?xml version="1.0"?><html></html>')
      assert.include(root.message, "expected <ElectionResult>, got <html>")
      const votes = yield* failureOf(`${head}${contest('votes="1,2e3"')}</ElectionResult>`)
      assert.include(votes.message, 'expected a count of votes for a vote type of contest 1, got "1,2e3"')
      const level = yield* failureOf(`${head}${contest('votes="3"')}</ElectionResult>`, {
        site: "GA/Abernathy",
        level: "precinct"
      })
      assert.include(level.message, "the level precinct reads <Precinct> units, but this detail.xml has <County> units")
    })
  )

  it.effect("a timestamp that is not one", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        '<?xml version="1.0"?><ElectionResult><Timestamp>soon</Timestamp></ElectionResult>'
      )
      assert.include(error.message, "<Timestamp>: expected a time like 11/30/2020 8:18:00 AM EST")
    })
  )
})
