import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Result, Schema } from "effect"
import { Feed } from "../src/index.ts"

const provenance = { url: "https://api.example/returns/governor", sha256: "a".repeat(64), connector: "ca-sos@0.1.0" }

const contest = (votes: number): Feed.ContestResult => ({
  contestId: "02000000000059",
  title: "Governor - Statewide Results",
  office: "Governor",
  contestKind: "candidate",
  jurisdiction: { state: "CA", county: null, district: null },
  party: null,
  reporting: { precinctsReporting: 547, precinctsTotal: 568, percent: 96.3 },
  updatedAt: "2024-11-05T23:55:00-08:00",
  selections: [
    { name: "Ana Ruiz", party: "Dem", partyCode: "DEM", votes, percent: 59.2, incumbent: true },
    { name: "Bo Chen", party: "Rep", partyCode: "REP", votes: 100, percent: 40.8, incumbent: false }
  ]
})

const event = (data: Feed.ContestResult) =>
  Feed.makeEvent({
    source: "ca-sos",
    stream: "contests",
    kind: "ContestResult",
    key: "02000000000059",
    observedAt: DateTime.makeUnsafe("2024-11-06T07:55:00Z"),
    provenance,
    data
  })

describe("Feed", () => {
  it("encodes the same value to the same bytes, whatever its key order", () => {
    const a = { b: 1, a: { d: [1, { z: true, y: null }], c: "x" } }
    const b = { a: { c: "x", d: [1, { y: null, z: true }] }, b: 1 }
    assert.strictEqual(Feed.stableJson(a), Feed.stableJson(b))
    assert.strictEqual(Feed.stableJson(a), '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}')
    assert.strictEqual(Feed.contentHash(a), Feed.contentHash(b))
    assert.notStrictEqual(Feed.contentHash(a), Feed.contentHash({ ...b, b: 2 }))
  })

  it("writes events as NDJSON lines with the envelope's fields", () => {
    const line = Feed.encode(event(contest(200)))
    assert.notInclude(line, "\n")
    const parsed = JSON.parse(line)
    assert.deepStrictEqual(Object.keys(parsed), ["data", "key", "kind", "observedAt", "provenance", "source", "stream"])
    assert.strictEqual(parsed.observedAt, "2024-11-06T07:55:00.000Z")
    assert.strictEqual(Feed.encode(event(contest(200))), line)
  })

  it.effect("accepts events of every kind and rejects what breaks the contract", () =>
    Effect.gen(function* () {
      yield* Feed.decodeEvent(JSON.parse(Feed.encode(event(contest(200)))))
      const row = {
        ...event(contest(1)),
        kind: "DatasetRow",
        data: { dataset: "1098", row: 0, columns: { a: "1", b: null } }
      }
      yield* Feed.decodeEvent(row)
      const endorsement = {
        ...row,
        kind: "Endorsement",
        data: { endorser: "Org", endorsee: "Ana Ruiz", date: "2024-01-02", details: {} }
      }
      yield* Feed.decodeEvent(endorsement)
      const bad = [
        { ...event(contest(1)), kind: "Nope" },
        { ...event(contest(1)), observedAt: "2024-11-06 07:55" },
        { ...event(contest(1)), provenance: { ...provenance, sha256: "xyz" } },
        { ...event(contest(-1)) },
        { ...event({ ...contest(1), contestKind: "poll" as never }) }
      ]
      for (const candidate of bad) {
        assert.isTrue(
          Exit.isFailure(yield* Effect.exit(Feed.decodeEvent(candidate))),
          JSON.stringify(candidate).slice(0, 80)
        )
      }
    })
  )

  it("keeps the measure optional and typed", () => {
    const measure = {
      ...contest(1),
      contestKind: "measure" as const,
      measure: { number: "1", title: "Right to Repair" }
    }
    assert.isTrue(Schema.is(Feed.ContestResult)(measure))
    assert.isFalse(Schema.is(Feed.ContestResult)({ ...measure, measure: { number: 1 } }))
  })

  it("writes a value nested deeper than the call stack reaches, in the same stable form", () => {
    const depth = 200_000
    const deep = JSON.parse(`{"b":${"[".repeat(depth)}{"z":1,"10":2,"9":3,"a":null}${"]".repeat(depth)},"a":1}`)
    assert.strictEqual(
      Feed.stableJson(deep),
      `{"a":1,"b":${"[".repeat(depth)}{"9":3,"10":2,"a":null,"z":1}${"]".repeat(depth)}}`
    )
    const shallow = { b: [[{ z: 1, 10: 2, 9: 3, a: undefined }]], a: 1 }
    assert.strictEqual(Feed.stableJson(shallow), '{"a":1,"b":[[{"9":3,"10":2,"z":1}]]}')
    assert.strictEqual(Feed.contentHash(deep), Feed.contentHash(JSON.parse(Feed.stableJson(deep))))
  })

  it("makes key parts of any well-formed text, and names a lone surrogate instead of throwing", () => {
    assert.deepStrictEqual(Feed.keyPart("a/b c%é😀"), Result.succeed("a%2Fb%20c%25%C3%A9%F0%9F%98%80"))
    assert.deepStrictEqual(Feed.keyPart("\u0000"), Result.succeed("%00"))
    for (const [text, at] of [
      ["\ud800", "U+D800) at character 0"],
      ["ok\udfff", "U+DFFF) at character 2"],
      ["😀\ud83d", "U+D83D) at character 2"]
    ] as const) {
      const part = Feed.keyPart(text)
      assert.isTrue(Result.isFailure(part))
      assert.include(Result.isFailure(part) ? part.failure : "", at)
    }
  })

  describe("1.1 additions", () => {
    const withPartyCode = (data: Feed.ContestResult, partyCode: string | null): Feed.ContestResult => ({
      ...data,
      selections: data.selections.map((s, i) => (i === 0 ? { ...s, partyCode } : s))
    })

    it.effect("requires partyCode as text or null, and reads an event written before 1.1 as null", () =>
      Effect.gen(function* () {
        const decoded = yield* Feed.decodeEvent(JSON.parse(Feed.encode(event(contest(200)))))
        assert.deepStrictEqual(
          (decoded.data as Feed.ContestResult).selections.map((s) => s.partyCode),
          ["DEM", "REP"]
        )
        const before = JSON.parse(Feed.encode(event(contest(200))))
        for (const selection of before.data.selections) delete selection.partyCode
        const old = yield* Feed.decodeEvent(before)
        assert.deepStrictEqual(
          (old.data as Feed.ContestResult).selections.map((s) => s.partyCode),
          [null, null]
        )
        assert.isTrue(Schema.is(Feed.Selection)(withPartyCode(contest(1), null).selections[0]))
        assert.isFalse(Schema.is(Feed.Selection)({ ...contest(1).selections[0], partyCode: 3 }))
        assert.isFalse(Schema.is(Feed.Selection)({ ...contest(1).selections[0], partyCode: undefined }))
      })
    )

    it("keeps voteTypes and precinct optional, typed, and out of the bytes when absent", () => {
      const base = contest(200)
      const selection = base.selections[0]!
      assert.isTrue(Schema.is(Feed.Selection)({ ...selection, voteTypes: { "Election Day": 150, Absentee: 50 } }))
      assert.isFalse(Schema.is(Feed.Selection)({ ...selection, voteTypes: { "Election Day": -1 } }))
      assert.isFalse(Schema.is(Feed.Selection)({ ...selection, voteTypes: { "Election Day": 1.5 } }))
      const precinct = { ...base, jurisdiction: { ...base.jurisdiction, precinct: "0042" } }
      assert.isTrue(Schema.is(Feed.ContestResult)(precinct))
      assert.isFalse(Schema.is(Feed.ContestResult)({ ...base, jurisdiction: { ...base.jurisdiction, precinct: 42 } }))
      assert.notInclude(Feed.encode(event(base)), `"voteTypes"`)
      assert.notInclude(Feed.encode(event(base)), `"precinct"`)
    })

    it("encodes 1.1 fields in sorted key order, and changes the hash only where the data changed", () => {
      const base = contest(200)
      const reordered: Feed.ContestResult = {
        ...base,
        selections: base.selections.map(({ votes, partyCode, name, ...rest }) => ({ votes, ...rest, name, partyCode }))
      }
      assert.strictEqual(Feed.encode(event(reordered)), Feed.encode(event(base)))
      assert.strictEqual(Feed.contentHash(reordered), Feed.contentHash(base))
      const selection = JSON.parse(Feed.encode(event(base))).data.selections[0]
      assert.deepStrictEqual(Object.keys(selection), ["incumbent", "name", "party", "partyCode", "percent", "votes"])
      assert.notStrictEqual(Feed.contentHash(withPartyCode(base, null)), Feed.contentHash(base))
      const voteTypes = {
        ...base,
        selections: [{ ...base.selections[0]!, voteTypes: { Mail: 200 } }, base.selections[1]!]
      }
      assert.notStrictEqual(Feed.contentHash(voteTypes), Feed.contentHash(base))
      assert.strictEqual(Feed.contentHash({ ...base, selections: [...base.selections] }), Feed.contentHash(base))
    })

    it.effect("accepts removed as a change", () =>
      Effect.gen(function* () {
        yield* Feed.decodeEvent({ ...event(contest(1)), change: "removed" })
        assert.isTrue(Exit.isFailure(yield* Effect.exit(Feed.decodeEvent({ ...event(contest(1)), change: "gone" }))))
      })
    )
  })
})
