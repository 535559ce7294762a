import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import { Numbers } from "../src/index.ts"

const rejects = <S extends Schema.Decoder<unknown>>(schema: S, input: string) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(Schema.decodeUnknownEffect(schema)(input))
    assert.isTrue(Exit.isFailure(exit), `${JSON.stringify(input)} was accepted`)
    if (Exit.isFailure(exit)) assert.include(String(exit.cause), JSON.stringify(input))
  })

describe("Numbers", () => {
  it.effect("reads counts with and without thousands separators, and rejects junk with a schema issue", () =>
    Effect.gen(function* () {
      const decode = Schema.decodeUnknownEffect(Numbers.IntFromCount)
      assert.strictEqual(yield* decode("1,234"), 1234)
      assert.strictEqual(yield* decode("6,455,637"), 6455637)
      assert.strictEqual(yield* decode("7158901"), 7158901)
      assert.strictEqual(yield* decode("0"), 0)
      assert.strictEqual(yield* decode("9,007,199,254,740,991"), Number.MAX_SAFE_INTEGER)
      for (const bad of ["", "1,2", "12,34,567", "1,234,", ",123", "-5", "+5", "1.5", " 12", "12 ", "1e3", "NaN"]) {
        yield* rejects(Numbers.IntFromCount, bad)
        assert.isUndefined(Numbers.parseCount(bad), bad)
      }
      // Past the integers a number holds exactly: a count would be silently wrong.
      yield* rejects(Numbers.IntFromCount, "9007199254740993")
      assert.isTrue(Exit.isFailure(Schema.decodeUnknownExit(Numbers.IntFromCount)("9".repeat(400))))
    })
  )

  it.effect("reads percents with the sign a source uses", () =>
    Effect.gen(function* () {
      const decode = Schema.decodeUnknownEffect(Numbers.PercentFromString)
      assert.strictEqual(yield* decode("96.3%"), 96.3)
      assert.strictEqual(yield* decode("96.3"), 96.3)
      assert.strictEqual(yield* decode("100%"), 100)
      assert.strictEqual(yield* decode("0.0"), 0)
      for (const bad of ["", "%", "96.3%%", "-1%", "1e3", "NaN", "Infinity", "96,3%", " 5%", "5 %", ".5"]) {
        yield* rejects(Numbers.PercentFromString, bad)
      }
      assert.strictEqual(Numbers.parsePercent("52.5", "absent"), 52.5)
      assert.isUndefined(Numbers.parsePercent("52.5%", "absent"))
      assert.strictEqual(Numbers.parsePercent("52.5%", "required"), 52.5)
      assert.isUndefined(Numbers.parsePercent("52.5", "required"))
      yield* rejects(Numbers.percentFromString("absent"), "5%")
      yield* rejects(Numbers.percentFromString("required"), "5")
    })
  )

  it("cuts long junk in the message", () => {
    const exit = Schema.decodeUnknownExit(Numbers.IntFromCount)("x".repeat(10_000))
    assert.isTrue(Exit.isFailure(exit))
    assert.isBelow(String(Exit.isFailure(exit) ? exit.cause : "").length, 1000)
  })

  it.effect("fromText makes a source's own text format a schema that reads, quotes junk and writes back", () =>
    Effect.gen(function* () {
      const YesNo = Numbers.fromText(Schema.Boolean, '"yes" or "no"', (text) =>
        text === "yes" ? true : text === "no" ? false : undefined
      )
      assert.strictEqual(yield* Schema.decodeUnknownEffect(YesNo)("yes"), true)
      yield* rejects(YesNo, "maybe")
      assert.isTrue(Exit.isFailure(Schema.encodeUnknownExit(YesNo)(true)), "without `write` it is read only")
      const Written = Numbers.fromText(Schema.Boolean, '"yes" or "no"', (text) => text === "yes", String)
      assert.strictEqual(yield* Schema.encodeUnknownEffect(Written)(false), "false")
      assert.strictEqual(Numbers.quote("x".repeat(200)), JSON.stringify(`${"x".repeat(80)}…`))
    })
  )
})
