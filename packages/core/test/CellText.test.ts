import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Feed } from "../src/index.ts"

const decode = Schema.decodeUnknownEffect(Feed.CellText)

describe("Feed.CellText", () => {
  it.effect("reads text, numbers and booleans as their text, and an empty cell as null", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* decode("Ana Ruiz"), "Ana Ruiz")
      assert.strictEqual(yield* decode(17), "17")
      assert.strictEqual(yield* decode(-0.5), "-0.5")
      assert.strictEqual(yield* decode(true), "true")
      assert.isNull(yield* decode(""))
      assert.isNull(yield* decode(null))
      assert.strictEqual(yield* Schema.encodeEffect(Feed.CellText)(null), "")
    })
  )

  it.effect("rejects an object, an array or a non-finite number, saying what it expected", () =>
    Effect.gen(function* () {
      for (const value of [{ a: 1 }, ["x"], undefined]) {
        const exit = yield* Effect.exit(decode(value))
        assert.isTrue(Exit.isFailure(exit), JSON.stringify(value))
        if (Exit.isFailure(exit)) assert.include(String(exit.cause), "text, a number, a boolean or null")
      }
      assert.isTrue(Exit.isFailure(yield* Effect.exit(decode(Number.NaN))))
    })
  )
})
