import { assert, describe, it } from "@effect/vitest"
import { Duration } from "effect"
import { Progress } from "../src/index.ts"

describe("Progress", () => {
  it("writes sizes and durations as people read them", () => {
    assert.deepStrictEqual([512, 1_500, 12_345_678, 3_000_000_000_000_000].map(Progress.formatBytes), [
      "512 B",
      "1.50 kB",
      "12.3 MB",
      "3000.0 TB"
    ])
    assert.deepStrictEqual(
      [350, 1_234, 42_000, Duration.minutes(3), Duration.seconds(125)].map(Progress.formatDuration),
      ["350 ms", "1.2 s", "42 s", "3 min", "2 min 5 s"]
    )
  })
})
