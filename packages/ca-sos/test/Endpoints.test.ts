import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { ContestId, Endpoints } from "../src/index.ts"

const parsed = (path: string) => Result.getOrThrow(Endpoints.parse(path))

const failure = (path: string) =>
  Result.match(Endpoints.parse(path), { onFailure: (reason) => reason, onSuccess: () => "accepted" })

describe("Endpoints", () => {
  it("reads every family's path and writes it back", () => {
    for (const path of [
      "/returns/governor",
      "/returns/us-senate-unexpired-term",
      "/returns/superintendent-of-public-instruction/county/los-angeles",
      "/returns/president/party/american-independent",
      "/returns/president/party/american-independent/county/lake",
      "/returns/ballot-measures",
      "/returns/ballot-measures/prop/50",
      "/returns/ballot-measures/county/marin",
      "/returns/supreme-court",
      "/returns/supreme-court/county/yuba",
      "/returns/us-rep/district/1",
      "/returns/us-rep/district/1/county/contra-costa",
      "/returns/state-senate/district/all",
      "/returns/state-assembly/district/80",
      "/returns/board-of-equalization/district/all",
      "/returns/courts-of-appeal/district/6",
      "/returns/status"
    ]) {
      assert.strictEqual(Endpoints.path(parsed(path)), path)
    }
  })

  it("knows each target's contest id and list", () => {
    const id = (path: string) => {
      const contestId = Endpoints.contestIdOf(parsed(path))
      return contestId && ContestId.format(contestId)
    }
    assert.strictEqual(id("/returns/governor"), "02000000000059")
    assert.strictEqual(id("/returns/governor/county/lake"), "02000000000017")
    assert.strictEqual(id("/returns/president/party/american-independent"), "01000300000059")
    assert.strictEqual(id("/returns/us-rep/district/40"), "11000040000059")
    assert.strictEqual(id("/returns/ballot-measures/prop/50"), "19000000005059")
    assert.isUndefined(id("/returns/us-senate-unexpired-term"))
    assert.isUndefined(id("/returns/us-rep/district/all"))
    assert.strictEqual(parsed("/returns/courts-of-appeal/district/2").list, "courts-of-appeal")
    assert.strictEqual(parsed("/returns/supreme-court").list, "supreme-court")
    assert.strictEqual(parsed("/returns/status").list, "status")
  })

  it("says what is wrong with a path it cannot read", () => {
    assert.include(failure("/returns/mayor"), "is not an endpoint of the API")
    assert.include(failure("/returns/us-rep/district/0"), "is not an endpoint of the API")
    assert.include(failure("/returns/president/party/whig"), "is not an endpoint of the API")
    assert.include(failure("/returns/governor/county/springfield"), "springfield")
    assert.include(failure("/returns/governor?f=csv"), "`format`")
    assert.include(failure('/returns/query?r=["02000000000059"]'), "`contests`")
    assert.include(failure("returns/governor"), '"/returns/"')
    assert.include(failure("/returns/us-rep/district/all/county/lake"), "has no county breakdown")
  })

  it("applies a county where the API has a breakdown", () => {
    const lake = ContestId.countyBySlug("lake")!
    const withLake = (path: string) => Result.map(Endpoints.withCounty(parsed(path), lake), Endpoints.path)
    assert.deepStrictEqual(withLake("/returns/governor"), Result.succeed("/returns/governor/county/lake"))
    assert.deepStrictEqual(withLake("/returns/status"), Result.succeed("/returns/status"))
    assert.isTrue(Result.isFailure(withLake("/returns/us-rep/district/all")))
    assert.isTrue(Result.isFailure(withLake("/returns/governor/county/marin")))
  })

  it("never puts more than ten ids in one batch query, and keeps their order", () => {
    const ids = Array.from({ length: 25 }, (_, i) => i)
    const batches = Endpoints.queryBatches(ids)
    assert.deepStrictEqual(
      batches.map((batch) => batch.length),
      [10, 10, 5]
    )
    assert.deepStrictEqual(batches.flat(), ids)
    assert.deepStrictEqual(Endpoints.queryBatches([]), [])
    const path = Endpoints.queryPath(["02000000000059", "11000040000059"])
    assert.deepStrictEqual(JSON.parse(new URL(path, "http://x").searchParams.get("r")!), [
      "02000000000059",
      "11000040000059"
    ])
  })

  it("defaults to every family, districts by /district/all", () => {
    const paths = Endpoints.defaults.map(Endpoints.path)
    assert.include(paths, "/returns/governor")
    assert.include(paths, "/returns/president/party/green")
    assert.include(paths, "/returns/ballot-measures")
    assert.include(paths, "/returns/supreme-court")
    assert.include(paths, "/returns/courts-of-appeal/district/all")
    assert.strictEqual(paths.length, new Set(paths).size)
    assert.isFalse(paths.some((path) => /\/district\/\d/.test(path)))
  })
})
