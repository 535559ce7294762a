import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as CaSos from "@electfeed/ca-sos"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Feed, Source } from "@electfeed/core"
import { Duration, Effect, Fiber, Result, Schema, type Scope, Stream } from "effect"
import type { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import * as Sync from "../src/Sync.ts"
import { Store, type StoreOptions } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, rowCounts, tempDirectory } from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"

afterAll(cleanUp)

const entry = (url: string, settings: Record<string, unknown> = {}): Effect.Effect<Sync.Entry, unknown> =>
  Effect.map(
    Source.decodeConfig(CaSos.source, { baseUrl: url, rateLimit: { limit: 1000, window: "1 second" }, ...settings }),
    (config) => ({ source: CaSos.source, config, every: Duration.seconds(60) })
  )

const configFile = (where: StoreOptions) => {
  const dir = tempDirectory("changes")
  const file = path.join(dir, "electfeed.json")
  fs.writeFileSync(file, JSON.stringify({ store: where, downloads: path.join(dir, "downloads"), sources: {} }))
  return file
}

/** Polls the simulator once per update of its timeline, as the demo does. */
const electionNight = (sim: CaSosTesting.CaSosSimulator, caSos: Sync.Entry) =>
  Effect.gen(function* () {
    const reports: Array<Sync.Report> = []
    for (let position = 0; position < sim.steps; position++) {
      if (position > 0) sim.step()
      const [report] = yield* Sync.syncOnce([caSos])
      assert.isUndefined(report!.error)
      reports.push(report!)
    }
    return reports
  })

const Line = Schema.Struct({ seq: Schema.Number, change: Feed.Change })
const decodeLine = Schema.decodeUnknownSync(Schema.fromJsonString(Line))
const decodeEvent = Schema.decodeUnknownSync(Schema.fromJsonString(Feed.FeedEvent))
const lines = (stdout: string) => stdout.split("\n").filter((line) => line !== "")

const assertIncreasing = (seqs: ReadonlyArray<number>) => {
  for (let i = 1; i < seqs.length; i++) assert.isAbove(seqs[i]!, seqs[i - 1]!, `seq ${seqs[i]} after ${seqs[i - 1]}`)
}

/** A folder of `/returns/us-rep/district/all` captures: each a later update of the timeline. */
const usRepFolder = (updates: ReadonlyArray<(contests: Array<Record<string, unknown>>) => unknown>) => {
  const dir = tempDirectory("us-rep")
  const body = CaSosTesting.Simulator.bodyText(
    CaSosTesting.Data.builtin,
    Result.getOrThrow(CaSos.Endpoints.parse("/returns/us-rep/district/all")),
    CaSosTesting.Data.builtin.steps - 1,
    "json"
  )!
  updates.forEach((update, i) => {
    const contests = JSON.parse(body) as Array<Record<string, unknown>>
    fs.writeFileSync(path.join(dir, `us-rep__${i}.json`), JSON.stringify(update(contests) ?? contests))
  })
  return dir
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `changes on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const run = <A, E>(
        where: StoreOptions,
        effect: Effect.Effect<A, E, Store | SqlClient.SqlClient | Source.Services | Scope.Scope>
      ) => effect.pipe(Effect.provide(Store.layer(where)), Effect.provide(Source.layer))

      it.live(
        "after the CA SOS election night, `changes --since 0` prints every change once, seq strictly increasing",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              const where = freshStore(backend.name)
              const sim = yield* CaSosTesting.serve({ timeline: true })
              const caSos = yield* entry(sim.url)
              const { reports, library, sizes } = yield* run(
                where,
                Effect.gen(function* () {
                  const reports = yield* electionNight(sim, caSos)
                  const library = yield* Stream.runCollect((yield* Store).changes({ since: 0 }))
                  return { reports, library, sizes: yield* rowCounts("contest_history", "feed_changes") }
                })
              )
              const stored = reports.reduce((n, r) => n + r.added + r.changed, 0)
              assert.isAbove(stored, 1000)
              assert.strictEqual(sizes.feed_changes, stored)
              assert.strictEqual(sizes.contest_history, stored)
              assert.strictEqual(library.length, stored)

              const file = configFile(where)
              const all = yield* Effect.promise(() => electfeed(["changes", "--config", file, "--since", "0"]))
              assert.strictEqual(all.code, 0, all.stderr)
              const printed = lines(all.stdout)
              assert.strictEqual(printed.length, stored)
              const seqs = printed.map((line) => decodeLine(line).seq)
              assertIncreasing(seqs)
              assert.deepStrictEqual(
                seqs,
                library.map((change) => change.seq)
              )
              // The line is the event as the feed writes it, with its seq in front.
              const first = library[0]!
              assert.strictEqual(printed[0], `{"seq":${first.seq},${Feed.encode(first.event).slice(1)}`)
              for (const line of printed) decodeEvent(line)
              const counted = (change: string) => printed.filter((line) => decodeLine(line).change === change).length
              assert.strictEqual(
                counted("added"),
                reports.reduce((n, r) => n + r.added, 0)
              )
              assert.strictEqual(
                printed.filter((line) => line.includes(`"regressed":true`)).length,
                reports[1]!.regressed
              )

              const middle = seqs[Math.floor(seqs.length / 2)]!
              const tail = yield* Effect.promise(() =>
                electfeed([
                  "changes",
                  "--config",
                  file,
                  "--since",
                  String(middle),
                  "--source",
                  "ca-sos",
                  "--kind",
                  "ContestResult"
                ])
              )
              assert.strictEqual(tail.code, 0, tail.stderr)
              assert.deepStrictEqual(
                lines(tail.stdout).map((line) => decodeLine(line).seq),
                seqs.filter((seq) => seq > middle)
              )
              const none = yield* Effect.promise(() => electfeed(["changes", "--config", file, "--kind", "Candidate"]))
              assert.strictEqual(none.stdout, "")
            })
          ),
        120_000
      )

      it.live(
        "following: a change is printed after its commit, by the library and by `changes --follow`",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              const where = freshStore(backend.name)
              const sim = yield* CaSosTesting.serve({ timeline: true })
              const caSos = yield* entry(sim.url, { endpoints: ["/returns/governor"] })
              const file = configFile(where)
              yield* run(
                where,
                Effect.gen(function* () {
                  const store = yield* Store
                  yield* Sync.syncOnce([caSos])
                  const last = (yield* Stream.runCollect(store.changes({ since: 0 }))).at(-1)!.seq

                  // The library: a follower waiting when the change is committed.
                  const follower = yield* Effect.forkChild(
                    Stream.runHead(store.changes({ since: last, follow: true })).pipe(
                      Effect.map((heard) => ({ heard, at: Date.now() }))
                    )
                  )
                  yield* Effect.sleep("1 second")
                  sim.step()
                  const [report] = yield* Sync.syncOnce([caSos])
                  assert.isAbove(report!.changed, 0)
                  const { at, heard } = yield* Fiber.join(follower).pipe(Effect.timeout("30 seconds"))
                  assert.isTrue(heard._tag === "Some" && heard.value.seq > last)
                  // A figure for the report, not an assertion: from the start of the writing transaction.
                  if (heard._tag === "Some") {
                    const latency = at - Date.parse(heard.value.committedAt)
                    console.log(
                      `${backend.name}: a follower heard of a change ${latency} ms after its transaction began`
                    )
                  }

                  // The CLI, from the last seq it has.
                  const now = (yield* Stream.runCollect(store.changes({ since: 0 }))).at(-1)!.seq
                  const child = start(["changes", "--config", file, "--since", String(now), "--follow"])
                  yield* Effect.addFinalizer(() => Effect.sync(() => child.child.kill("SIGKILL")))
                  sim.step()
                  const [next] = yield* Sync.syncOnce([caSos])
                  assert.isAbove(next!.changed, 0)
                  const printed = yield* Effect.promise(
                    () =>
                      new Promise<string>((resolve, reject) => {
                        const check = setInterval(() => {
                          const out = child.output().stdout
                          if (out.includes("\n")) {
                            clearInterval(check)
                            resolve(out.split("\n")[0]!)
                          }
                        }, 20)
                        void child.done.then((run) => {
                          clearInterval(check)
                          reject(new Error(`changes --follow ended (${run.code}): ${run.stderr}`))
                        })
                      })
                  ).pipe(Effect.timeout("30 seconds"))
                  assert.strictEqual(decodeLine(printed).seq, now + 1)
                  child.child.kill("SIGINT")
                  const ended = yield* Effect.promise(() => child.done)
                  assert.strictEqual(ended.code, 130, ended.stderr)
                })
              )
            })
          ),
        120_000
      )

      it.live(
        "a contest a snapshot no longer lists is `removed` once; an unchanged snapshot removes nothing",
        () =>
          Effect.scoped(
            Effect.gen(function* () {
              const where = freshStore(backend.name)
              let dropped = ""
              const folder = usRepFolder([
                (contests) => contests,
                // Counts move, every contest still listed.
                (contests) =>
                  contests.map((c, i) => (i === 0 ? { ...c, ReportingTime: "December 5, 2026, 9:00 a.m." } : c)),
                (contests) => {
                  dropped = String(contests[3]!["raceTitle"])
                  return contests
                    .filter((_, i) => i !== 3)
                    .map((c, i) => (i === 0 ? { ...c, ReportingTime: "December 5, 2026, 9:00 a.m." } : c))
                },
                // The same body again.
                (contests) =>
                  contests
                    .filter((_, i) => i !== 3)
                    .map((c, i) => (i === 0 ? { ...c, ReportingTime: "December 5, 2026, 9:00 a.m." } : c))
              ])
              const sim = yield* CaSosTesting.serve({ data: { folder }, timeline: true })
              const caSos = yield* entry(sim.url, { endpoints: ["/returns/us-rep/district/all"] })
              yield* run(
                where,
                Effect.gen(function* () {
                  const store = yield* Store
                  const removedAfter = Effect.fnUntraced(function* (since: number) {
                    const changes = yield* Stream.runCollect(store.changes({ since }))
                    return {
                      removed: changes.filter((c) => c.event.change === "removed"),
                      last: changes.at(-1)?.seq ?? since
                    }
                  })
                  const [first] = yield* Sync.syncOnce([caSos])
                  assert.strictEqual(first!.added, 52)
                  let seen = (yield* removedAfter(0)).last
                  for (const update of [1, 2, 3]) {
                    sim.step()
                    const [report] = yield* Sync.syncOnce([caSos])
                    assert.isUndefined(report!.error)
                    const { last, removed } = yield* removedAfter(seen)
                    seen = last
                    if (update !== 2) {
                      assert.lengthOf(removed, 0, `update ${update} removed ${removed.map((r) => r.event.key)}`)
                      continue
                    }
                    assert.lengthOf(removed, 1)
                    const gone = removed[0]!.event
                    assert.strictEqual((gone.data as Feed.ContestResult).title, dropped)
                    assert.strictEqual(gone.kind, "ContestResult")
                    assert.notInclude(
                      (yield* store.entities("ca-sos")).map((e) => e.key),
                      gone.key
                    )
                    const history = yield* store.history("ca-sos", gone.key)
                    assert.strictEqual(history.at(-1)!.change, "removed")
                  }
                  assert.lengthOf(yield* store.entities("ca-sos"), 51)
                })
              )
            })
          ),
        60_000
      )
    }
  )
}
