import { assert, describe, it } from "@effect/vitest"
import { SourceError } from "@electfeed/core"
import { Duration, Effect, Schema } from "effect"
import { Config, settings } from "../src/Config.ts"
import { source } from "../src/index.ts"
import { Simulator } from "../src/testing/index.ts"
import { collect, configFor, events, failure, tempDirectory } from "./support.ts"

const errorPage = "<!DOCTYPE html>\n<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n"

describe("dataset downloads are checked", () => {
  for (const format of ["csv", "json"] as const) {
    it.effect(`an HTML page served with 200 for a ${format} file fails the read with a DecodeError, no rows`, () =>
      Effect.gen(function* () {
        const sim = yield* Simulator.serve()
        sim.inject(
          { _tag: "Status", status: 200, headers: { "content-type": "text/html" }, body: errorPage },
          { match: Simulator.isFileRequest }
        )
        const { exit, items } = yield* collect(
          source.read(configFor(sim, { format, datasets: ["1253"] })),
          yield* tempDirectory
        )
        const error = failure(exit)
        assert.instanceOf(error, SourceError.DecodeError)
        assert.include(error.detail, "text/html")
        assert.deepStrictEqual(events(items), [])
      })
    )
  }

  it.effect("maxDownloadBytes caps a dataset's file", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve()
      const { exit, items } = yield* collect(
        source.read(configFor(sim, { datasets: ["1253"], maxDownloadBytes: 10_000 })),
        yield* tempDirectory
      )
      const error = failure(exit)
      assert.instanceOf(error, SourceError.DecodeError)
      assert.match(error.detail, /more than the 10\.0 kB allowed/)
      assert.deepStrictEqual(events(items), [])
    })
  )

  it("the download bounds are settings of the config, with core's defaults", () => {
    const decoded = Schema.decodeUnknownSync(Config)({
      apiKey: "k",
      maxDownloadBytes: 5_000_000_000,
      maxDownloadDuration: "30 minutes"
    })
    const set = settings(decoded)
    assert.strictEqual(set.maxDownloadBytes, 5_000_000_000)
    assert.strictEqual(Duration.toMillis(set.maxDownloadDuration), 30 * 60_000)
    const defaults = settings(Schema.decodeUnknownSync(Config)({ apiKey: "k" }))
    assert.strictEqual(defaults.maxDownloadBytes, 20 * 1024 ** 3)
    assert.strictEqual(Duration.toMillis(defaults.maxDownloadDuration), 2 * 3_600_000)
    assert.throws(() => Schema.decodeUnknownSync(Config)({ apiKey: "k", maxDownloadBytes: -1 }))
  })
})
