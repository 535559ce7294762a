import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schema, Stream } from "effect"
import pkg from "../package.json" with { type: "json" }
import { Source } from "../src/index.ts"
import * as Example from "./fixtures/Example.ts"

describe("what a source says of itself", () => {
  it("has defaults when its definition says nothing: 60 seconds, no secrets, no flags, this core", () => {
    assert.isTrue(Duration.equals(Example.source.every, Duration.seconds(60)))
    assert.deepStrictEqual(Example.source.secrets, {})
    assert.deepStrictEqual(Example.source.flags, [])
    assert.strictEqual(Example.source.core, pkg.version)
    assert.strictEqual(Source.coreVersion, pkg.version)
  })

  it("keeps what its definition declares", () => {
    const source = Source.define({
      id: "declared",
      package: { name: "declared", version: "1.0.0" },
      description: "Declared",
      config: Schema.Struct({ apiKey: Schema.String, ids: Schema.optionalKey(Schema.Array(Schema.String)) }),
      every: "24 hours",
      secrets: { apiKey: "DECLARED_API_KEY" },
      flags: [{ name: "id", key: "ids", metavar: "ID", description: "An id" }],
      http: () => ({ baseUrl: "http://127.0.0.1:9" }),
      streams: {}
    })
    assert.isTrue(Duration.equals(source.every, Duration.hours(24)))
    assert.deepStrictEqual(source.secrets, { apiKey: "DECLARED_API_KEY" })
    assert.deepStrictEqual(source.flags, [{ name: "id", key: "ids", metavar: "ID", description: "An id" }])
    const made = Source.make({
      id: "made",
      connector: "made@1.0.0",
      description: "Made",
      configSchema: Schema.Struct({}),
      catalog: () => Effect.succeed([]),
      check: () => Effect.void,
      read: () => Stream.empty
    })
    assert.deepStrictEqual([made.secrets, made.flags, made.core], [{}, [], pkg.version])
  })

  it("is compatible with a core of the same major, and below 1.0.0 of the same minor", () => {
    const [major, minor] = pkg.version.split(".").map(Number) as [number, number]
    assert.isTrue(Source.isCompatibleCore(pkg.version))
    assert.isTrue(Source.isCompatibleCore(`${major}.${minor}.99`))
    assert.isFalse(Source.isCompatibleCore(`${major + 1}.0.0`))
    assert.strictEqual(Source.isCompatibleCore(`${major}.${minor + 1}.0`), major > 0)
    for (const version of [undefined, 3, "", "latest", "1"]) assert.isFalse(Source.isCompatibleCore(version))
  })
})
