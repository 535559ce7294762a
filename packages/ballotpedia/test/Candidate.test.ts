import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Http, type SourceError } from "@electfeed/core"
import { Effect, Exit } from "effect"
import { Candidate } from "../src/index.ts"
import { CandidateColumns, Generator } from "../src/testing/index.ts"
import { failure } from "./support.ts"

const fixtures = path.resolve(import.meta.dirname, "../../../../shared/fixtures/ballotpedia/bulk-candidates")
const haveFixtures = fs.existsSync(fixtures)
if (!haveFixtures) console.warn(`skipping the real-row tests: ${fixtures} is absent`)

const decode = (values: Record<string, unknown>, index = 0) =>
  Effect.gen(function* () {
    const client = yield* Http.makeClient({ source: "ballotpedia", connector: "test", baseUrl: "http://127.0.0.1" })
    const entity = yield* Candidate.mapping.decode(
      { _tag: "Row", index, values },
      { client, url: "http://127.0.0.1/files/candidates.json", dataset: "1253" }
    )
    // The key as the event carries it (plain values, so encoding leaves them as they are).
    return { ...entity, key: [Candidate.mapping.keyPrefix("1253"), ...entity.key].join("/") }
  }).pipe(Effect.provide(Http.layer))

const decodeError = (values: Record<string, unknown>, index: number) =>
  Effect.map(Effect.exit(decode(values, index)), (exit) => {
    assert.isTrue(Exit.isFailure(exit), "the row decoded")
    return failure(exit) as SourceError.DecodeError
  })

describe("Candidate", () => {
  it.effect.skipIf(!haveFixtures)("the real row of the Candidates file maps field by field", () =>
    Effect.gen(function* () {
      const row = JSON.parse(fs.readFileSync(path.join(fixtures, "candidates-row-example.json"), "utf8"))
      const { key, data } = yield* decode(row)
      assert.strictEqual(key, "candidate/239671/220425")
      assert.strictEqual(data.candidateId, "239671")
      assert.strictEqual(data.personId, "551609")
      assert.strictEqual(data.name, "Jimmie Brown")
      assert.strictEqual(data.firstName, "Jimmie")
      assert.strictEqual(data.lastName, "Brown")
      assert.strictEqual(data.party, "Nonpartisan")
      assert.strictEqual(data.state, "GA")
      assert.deepStrictEqual(data.office, {
        id: "47445",
        name: "Georgia 3rd Superior Court District Southwestern Circuit Brown's Seat",
        level: "Local",
        branch: "Judicial"
      })
      assert.deepStrictEqual(data.district, {
        id: "103201",
        name: "Third Superior Court District of Georgia Southwestern Circuit",
        type: "Judicial district subdivision",
        ocdId: null
      })
      assert.deepStrictEqual(data.race, { id: "138168", type: "Regular", url: null })
      assert.deepStrictEqual(data.election, { date: "2024-05-21", stage: "General", stageParty: null })
      assert.strictEqual(data.status, "On the Ballot")
      assert.isNull(data.incumbent)
      assert.isFalse(data.writeIn)
      assert.isNull(data.votesFor)
      assert.strictEqual(
        data.ballotpediaUrl,
        "https://ballotpedia.org/Jimmie_Brown_(Georgia_3rd_Superior_Court_District_Southwestern_Circuit,_Georgia,_candidate_2024)"
      )
      assert.deepStrictEqual(Object.keys(data).sort(), [
        "ballotpediaUrl",
        "candidateId",
        "district",
        "election",
        "firstName",
        "incumbent",
        "lastName",
        "name",
        "office",
        "party",
        "personId",
        "race",
        "state",
        "status",
        "votesFor",
        "writeIn"
      ])
    })
  )

  it.skipIf(!haveFixtures)("the generator writes the real file's 47 columns, in order", () => {
    // The header line as a consumer pasted it ends with stray tabs: empty names, not columns.
    const header = fs.readFileSync(path.join(fixtures, "candidates-columns.tsv"), "utf8").split(/\r?\n/)[0]!
    const real = header.split("\t").filter((name) => name !== "")
    assert.strictEqual(real.length, 47)
    assert.deepStrictEqual([...CandidateColumns.columns], real)
    assert.deepStrictEqual(Object.keys(Generator.candidates(1).row(0)), real)
  })

  it.effect("strings become JSON types: booleans, numbers, and null for empty cells", () =>
    Effect.gen(function* () {
      const row = Generator.candidates(1).row(0)
      const { data } = yield* decode({
        ...row,
        is_incumbent: "true",
        is_write_in: "",
        votes_for: "1204",
        party_affiliation: ""
      })
      assert.isTrue(data.incumbent)
      assert.isNull(data.writeIn)
      assert.strictEqual(data.votesFor, 1204)
      assert.isNull(data.party)
    })
  )

  it.effect("a ranked-choice round is part of the key", () =>
    Effect.gen(function* () {
      const row = {
        ...Generator.candidates(1).row(0),
        candidate_id: "7",
        stage_id: "9",
        ranked_choice_voting_round: "2"
      }
      assert.strictEqual((yield* decode(row)).key, "candidate/7/9/round/2")
    })
  )

  it.effect("a bad value is a decode error naming the row and the column", () =>
    Effect.gen(function* () {
      const row = Generator.candidates(1).row(0)
      const cases: ReadonlyArray<readonly [string, unknown]> = [
        ["votes_for", "12a"],
        ["votes_for", "-3"],
        ["is_incumbent", "maybe"],
        ["is_write_in", "yes"],
        ["election_date", "05/21/2024"],
        ["candidate_id", ""],
        ["state", ""],
        ["name", { first: "Ana" }]
      ]
      for (const [column, value] of cases) {
        const error = yield* decodeError({ ...row, [column]: value }, 41)
        assert.strictEqual(error._tag, "DecodeError")
        assert.strictEqual(error.row, 41, `${column}: ${error.message}`)
        assert.strictEqual(error.column, column, error.message)
        assert.include(error.message, `row 41, column ${column}`)
      }
    })
  )

  it.effect("a missing column is a decode error naming it", () =>
    Effect.gen(function* () {
      const { votes_for: _, ...row } = Generator.candidates(1).row(0)
      const error = yield* decodeError(row, 3)
      assert.strictEqual(error.column, "votes_for")
      assert.strictEqual(error.row, 3)
    })
  )

  it.effect("JSON numbers, booleans and null read as the text CSV would carry", () =>
    Effect.gen(function* () {
      const row = Generator.candidates(1).row(0)
      const asText = yield* decode({ ...row, votes_for: "17", is_incumbent: "true", office_id: "", race_id: "12" })
      const asJson = yield* decode({ ...row, votes_for: 17, is_incumbent: true, office_id: null, race_id: 12 })
      assert.deepStrictEqual(asJson, asText)
    })
  )
})
