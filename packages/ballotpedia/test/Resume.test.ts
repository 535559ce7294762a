import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Download, Progress, Source } from "@electfeed/core"
import { Conformance } from "@electfeed/core/testing"
import { Deferred, Effect, Fiber, Stream } from "effect"
import { source } from "../src/index.ts"
import { Simulator } from "../src/testing/index.ts"
import { checkpoints, collect, comparable, configFor, events, readAll, tempDirectory } from "./support.ts"

const rows = 12_000
const stream = "dataset:1253"
const candidates = (extra?: Partial<Simulator.ServeOptions>) =>
  Simulator.serve({ datasets: [{ id: "1253", title: "Candidates", kind: "candidates", rows }], ...extra })

// Core's checkpoint of a bulk stream.
interface BulkState {
  readonly validators: { readonly etag?: string; readonly lastModified?: string }
  readonly sha256: string
  readonly rows: number
  readonly complete: boolean
}

const state = (checkpoint: { readonly state: unknown }) => checkpoint.state as BulkState

describe("checkpoints", () => {
  it.effect("one every 5,000 rows and one at the end, each after exactly the rows it counts", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const items = yield* readAll(configFor(sim), yield* tempDirectory)
      const found = checkpoints(items)
      assert.deepStrictEqual(
        found.map((c) => [state(c).rows, state(c).complete]),
        [
          [5000, false],
          [10000, false],
          [12000, true]
        ]
      )
      for (const checkpoint of found) {
        const before = items.slice(0, items.indexOf(checkpoint)).filter((item) => item._tag === "Event").length
        assert.strictEqual(before, state(checkpoint).rows)
        assert.strictEqual(checkpoint.stream, stream)
      }
      const last = state(found.at(-1)!)
      assert.strictEqual(last.validators.etag, sim.file("1253", "json").etag)
      assert.strictEqual(last.sha256, events(items)[0]!.provenance.sha256)
    })
  )

  it.effect("an unchanged file (same ETag) is not downloaded again", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const directory = yield* tempDirectory
      const first = yield* readAll(configFor(sim), directory)
      const done = checkpoints(first).at(-1)!
      const before = sim.fileRequests().length
      const again = yield* readAll(configFor(sim), directory, { checkpoints: { [stream]: done.state } })
      assert.deepStrictEqual(again, [])
      const asked = sim.fileRequests().slice(before)
      assert.deepStrictEqual(
        asked.map((r) => [r.status, r.headers["if-none-match"]]),
        [[304, sim.file("1253", "json").etag]]
      )
      assert.deepStrictEqual(fs.readdirSync(directory), [])
    })
  )

  it.effect("a host without ETags: an unchanged Last-Modified is enough to download nothing", () =>
    Effect.gen(function* () {
      const sim = yield* candidates({ etags: false })
      const directory = yield* tempDirectory
      const done = checkpoints(yield* readAll(configFor(sim), directory)).at(-1)!
      assert.deepStrictEqual(Object.keys(state(done).validators), ["lastModified"])
      const before = sim.fileRequests().length
      const again = yield* readAll(configFor(sim), directory, { checkpoints: { [stream]: done.state } })
      assert.deepStrictEqual(again, [])
      assert.deepStrictEqual(
        sim
          .fileRequests()
          .slice(before)
          .map((r) => [r.status, r.headers["if-modified-since"] !== undefined]),
        [[304, true]]
      )
    })
  )

  it.effect("a regenerated file is read again from its first row", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const directory = yield* tempDirectory
      const first = yield* readAll(configFor(sim), directory)
      sim.regenerate("1253")
      const again = yield* readAll(configFor(sim), directory, {
        checkpoints: { [stream]: checkpoints(first).at(-1)!.state }
      })
      assert.strictEqual(events(again).length, rows)
      assert.notDeepEqual(events(again).map(comparable), events(first).map(comparable))
      assert.notStrictEqual(state(checkpoints(again).at(-1)!).sha256, state(checkpoints(first).at(-1)!).sha256)
    })
  )

  it.effect("a read killed after a checkpoint goes on after exactly the rows already emitted", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const directory = yield* tempDirectory
      const whole = yield* readAll(configFor(sim), directory)
      // Killed after the second checkpoint: what the sync app stored is everything up to it.
      const killed = yield* collect(
        source
          .read(configFor(sim))
          .pipe(Stream.takeUntil((item) => item._tag === "Checkpoint" && state(item).rows === 10_000)),
        directory
      )
      const stored = checkpoints(killed.items).at(-1)!
      const rest = yield* readAll(configFor(sim), directory, { checkpoints: { [stream]: stored.state } })
      assert.strictEqual(events(rest).length, rows - 10_000)
      assert.deepStrictEqual(
        [...events(killed.items), ...events(rest)].map(comparable),
        events(whole).map(comparable),
        "rows were lost or repeated"
      )
      assert.deepStrictEqual(
        checkpoints(rest).map((c) => state(c).rows),
        [rows]
      )
    })
  )

  it.effect("a stored checkpoint of an older file starts the new file at row 0", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const directory = yield* tempDirectory
      const killed = yield* collect(
        source.read(configFor(sim)).pipe(Stream.takeUntil((item) => item._tag === "Checkpoint")),
        directory
      )
      sim.regenerate("1253")
      const again = yield* readAll(configFor(sim), directory, {
        checkpoints: { [stream]: checkpoints(killed.items).at(-1)!.state }
      })
      assert.strictEqual(events(again).length, rows)
    })
  )

  it.effect("a checkpoint that cannot be read is ignored: the stream is read from its first row", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const again = yield* readAll(configFor(sim), yield* tempDirectory, {
        checkpoints: { [stream]: { rows: "many" } }
      })
      assert.strictEqual(events(again).length, rows)
    })
  )
})

describe("downloads", () => {
  it.effect("a host that ignores Range: the download starts over, skipping what is on disk; events exact", () =>
    Effect.gen(function* () {
      const sim = yield* candidates({ honourRange: false })
      const whole = events(yield* readAll(configFor(sim), yield* tempDirectory))
      sim.dropFileAt(Math.floor(sim.file("1253", "json").size * 0.6))
      const before = sim.fileRequests().length
      const disturbed = events(yield* readAll(configFor(sim), yield* tempDirectory))
      const asked = sim.fileRequests().slice(before)
      assert.isTrue(
        asked.some((r) => r.headers["range"] !== undefined && r.status === 200),
        "no Range was asked"
      )
      assert.deepStrictEqual(disturbed.map(comparable), whole.map(comparable))
    })
  )

  it.effect("expired links are replaced by fresh ones", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      sim.expireNextLinks(2)
      const read = events(yield* readAll(configFor(sim), yield* tempDirectory))
      assert.strictEqual(read.length, rows)
      assert.deepStrictEqual(
        sim.fileRequests().map((r) => r.status),
        [403, 403, 200]
      )
      assert.strictEqual(sim.links(), 3)
    })
  )

  it.effect("a sync killed mid-download resumes from the part file on disk", () =>
    Effect.gen(function* () {
      // Paced, so that the download is still under way when it is killed.
      const sim = yield* candidates({ bytesPerSecond: 4_000_000 })
      const directory = yield* tempDirectory
      const megabyteOnDisk = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        source.read(configFor(sim)).pipe(
          Stream.runDrain,
          Effect.provide(Source.layer),
          Effect.provideService(Download.DownloadDirectory, directory),
          // A download report names bytes already written to the part file.
          Effect.provideService(Progress.ProgressReporter, (report) =>
            report.phase === "download" && report.bytes >= 1_000_000
              ? Effect.asVoid(Deferred.succeed(megabyteOnDisk, undefined))
              : Effect.void
          )
        )
      )
      yield* Conformance.withVirtualTime(Deferred.await(megabyteOnDisk))
      yield* Fiber.interrupt(fiber)
      sim.setBytesPerSecond(undefined)
      const onDisk = fs.statSync(path.join(directory, "ballotpedia.dataset%3A1253.json.part")).size
      assert.isAtLeast(onDisk, 1_000_000)
      const before = sim.fileRequests().length
      const read = events(yield* readAll(configFor(sim), directory))
      assert.strictEqual(read.length, rows)
      const resumed = sim.fileRequests()[before]!
      assert.strictEqual(resumed.headers["range"], `bytes=${onDisk}-`)
      assert.strictEqual(resumed.status, 206)
    })
  )

  it.effect("progress is reported while the file is parsed", () =>
    Effect.gen(function* () {
      const sim = yield* candidates()
      const reports: Array<Progress.ProgressReport> = []
      yield* readAll(configFor(sim), yield* tempDirectory).pipe(
        Effect.provideService(Progress.ProgressReporter, (report) => Effect.sync(() => void reports.push(report)))
      )
      const parse = reports.filter((report) => report.phase === "parse")
      assert.strictEqual(parse.length, 2)
      const [during, done] = parse as [Progress.ProgressReport, Progress.ProgressReport]
      assert.isFalse(during.done)
      assert.isAtLeast(during.rows, 10_000)
      assert.isBelow(during.rows, 11_000)
      assert.isBelow(during.bytes, done.bytes)
      assert.deepStrictEqual([done.rows, done.done, done.bytes], [rows, true, sim.file("1253", "json").size])
      assert.isTrue(reports.some((report) => report.phase === "download" && report.done))
    })
  )
})
