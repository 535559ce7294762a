/**
 * `Feed.stableJson` writes a value whose keys are sorted already by `JSON.stringify` as it is: the text
 * must be the sorted copy's, whatever the value.
 */
import { assert, describe, it } from "@effect/vitest"
import { Feed } from "../src/index.ts"
import { writeSorted } from "../src/internal/stableJson.ts"

describe("stable JSON", () => {
  it("writes keys already sorted as a sorted copy would, and sorts the others", () => {
    const deep: Record<string, unknown> = {}
    let at = deep
    for (let i = 0; i < 200; i++) {
      const next: Record<string, unknown> = {}
      at["a"] = next
      at = next
    }
    const values: Array<unknown> = [
      { a: 1, b: [1, "x", null, true], c: { d: "e", f: 1.5 } },
      { b: 1, a: 2 },
      { a: { y: 1, x: 2 } },
      { "10": "ten", "2": "two", a: "letter" },
      { a: undefined, b: 1, c: () => 1 },
      [undefined, () => 1, { b: 1, a: 2 }],
      { at: new Date(0), b: 1 },
      { nested: Object.create(null) as object },
      { "": 1, A: 2, a: 3, é: 4 },
      // Keys starting with a digit: integer-like ones are listed first, the others where they were put.
      { "01": 1, "1a": 2, "2": 3, b: 4 },
      { "1a": 1, "01": 2 },
      { a: 1, "4294967295": 2, "4294967294": 3 },
      // Own keys only: symbols, non-enumerable and inherited members are not written.
      { a: 1, [Symbol("s")]: 2 },
      Object.defineProperty({ b: 1 }, "a", { value: 2, enumerable: false }),
      Object.assign(Object.create({ z: 1 }) as object, { a: 1 }),
      deep,
      { columns: { column_00: "v", column_01: "w" }, dataset: "1", row: 3 },
      "text",
      12,
      null
    ]
    for (const value of values) assert.strictEqual(Feed.stableJson(value), writeSorted(value))
  })
})
