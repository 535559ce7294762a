import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator, Timeline } from "../src/testing/index.ts"

const text = (url: string) => Effect.promise(() => fetch(url).then((response) => response.text()))

describe("Timeline", () => {
  it.effect("serves each version in turn over real HTTP, stays on the last, and resets to its start", () =>
    Effect.gen(function* () {
      const timeline = Timeline.make(["reset", "8:26 p.m.", "final"])
      const sim = yield* Simulator.serve(
        Timeline.handler(timeline, (version, request) => ({ status: 200, body: `${request.path} ${version}` }))
      )
      const seen: Array<string> = []
      for (let i = 0; i < 4; i++) {
        seen.push(yield* text(`${sim.url}/returns`))
        timeline.advance()
      }
      assert.deepStrictEqual(seen, ["/returns reset", "/returns 8:26 p.m.", "/returns final", "/returns final"])
      assert.isTrue(timeline.atEnd)
      assert.strictEqual(timeline.position, 2)
      timeline.reset()
      assert.strictEqual(timeline.position, 0)
      assert.strictEqual(yield* text(`${sim.url}/x`), "/x reset")
    }).pipe(Effect.scoped)
  )

  it("starts at the last version when asked, and resets back there", () => {
    const timeline = Timeline.make([1, 2, 3], { start: "last" })
    assert.strictEqual(timeline.current, 3)
    assert.isTrue(timeline.atEnd)
    timeline.advance()
    assert.strictEqual(timeline.position, 2)
    timeline.reset()
    assert.strictEqual(timeline.current, 3)
    const single = Timeline.make(["only"])
    single.advance()
    assert.strictEqual(single.current, "only")
    assert.deepStrictEqual(single.versions, ["only"])
  })
})
