import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Simulator } from "../src/testing/index.ts"
import { assertSameEvents, configFor, events, readAll, tempDirectory } from "./support.ts"

const rows = 200_000

// Small rows (eight columns) keep this a test of the transport; the Candidates mapping has its own.
const dataset = { id: "1310", title: "Ballot measures", kind: "other", rows } as const

describe("acceptance", () => {
  it.effect(
    "200,000 rows through links that expire every second and a dropped connection: exactly the undisturbed events",
    () =>
      Effect.gen(function* () {
        const calm = yield* Simulator.serve({ datasets: [dataset] })
        const sim = yield* Simulator.serve({
          datasets: [dataset],
          linkTtlMillis: 1000,
          expiryCutsTransfers: true,
          // Slow enough that the transfer outlives its first link (about 1.6 s in all).
          bytesPerSecond: 25_000_000
        })
        // The first link handed out has expired by the time it is used; the second is cut when it expires,
        // at about 60% of the file; the third is dropped at 80%; the fourth finishes.
        sim.expireNextLinks(1)
        sim.dropFileAt(Math.floor(sim.file("1310", "json").size * 0.8))
        // The undisturbed read parses while the disturbed one waits on its slow transfer.
        const reads = yield* Effect.all(
          [readAll(configFor(calm), yield* tempDirectory), readAll(configFor(sim), yield* tempDirectory)],
          { concurrency: 2 }
        )
        const [undisturbed, disturbed] = [events(reads[0]), events(reads[1])]

        const transfers = sim.fileRequests()
        assert.strictEqual(transfers[0]!.status, 403, "no expired link was used")
        assert.isAtLeast(transfers.filter((r) => r.aborted).length, 2, "fewer than two transfers were cut")
        assert.isTrue(
          transfers.slice(1).every((r, index) => (index === 0 ? r.status === 200 : r.status === 206)),
          "the download did not resume with Range"
        )
        assert.strictEqual(undisturbed.length, rows)
        assert.strictEqual(disturbed.length, rows)
        // The dataset's ids run from 90000 in file order: any repeat, loss or swap shows here.
        assert.isTrue(
          disturbed.every((event, index) => event.key === `dataset:1310/id/${90000 + index}`),
          "events repeat, are lost or are out of order"
        )
        assertSameEvents(disturbed, undisturbed)
        assert.strictEqual(disturbed[0]!.provenance.sha256, undisturbed[0]!.provenance.sha256)
      }),
    { timeout: 60_000 }
  )
})
