import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Conformance } from "@electfeed/core/testing"
import { Clock, Deferred, Effect, Exit, Fiber, Logger } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { LeaseBusy, Store, StoreError, type StoreOptions } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore, tempDirectory } from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"
import { contents, type Where } from "./support/Peek.ts"
import { startBallotpedia } from "./support/Simulators.ts"

afterAll(cleanUp)

/** Completes `heard` when a log line matches `pattern`. */
const listening = (pattern: RegExp, heard: Deferred.Deferred<string>) =>
  Logger.layer([
    Logger.make(({ message }) => {
      const text = (Array.isArray(message) ? message : [message]).map(String).join(" ")
      if (pattern.test(text)) Deferred.doneUnsafe(heard, Exit.succeed(text))
    })
  ])

const configFile = (where: Where, url: string, store: Partial<StoreOptions> = {}) => {
  const dir = tempDirectory("lease")
  const file = path.join(dir, "electfeed.json")
  fs.writeFileSync(
    file,
    JSON.stringify({
      store: { ...where, ...store },
      downloads: path.join(dir, "downloads"),
      sources: { ballotpedia: { config: { baseUrl: url, datasets: ["1253"] } } }
    })
  )
  return file
}

const rows = 6000

/** A candidates dataset with two rows beyond reading and a name no backend can keep. */
const damagedDataset = async () => {
  const ballotpedia = await startBallotpedia({
    datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows }]
  })
  ballotpedia.sim.breakRow("1253", 10)
  ballotpedia.sim.breakRow("1253", 5500)
  ballotpedia.sim.corruptCell("1253", 20, "name", "Jane\u0000Doe")
  return ballotpedia
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `leases on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      const withStore = <A, E>(
        effect: Effect.Effect<A, E, Store | SqlClient.SqlClient>,
        options: Partial<StoreOptions> = {}
      ) =>
        Effect.suspend(() =>
          effect.pipe(Effect.provide(Store.layer({ ...freshStore(backend.name), leaseTtl: "3 seconds", ...options })))
        ).pipe((run) => Conformance.withVirtualTime(run, "100 millis"))

      it.effect("a second writer waits while the first holds the lease, and goes on once it is released", () =>
        Effect.gen(function* () {
          const waiting = yield* Deferred.make<string>()
          const order: Array<string> = []
          yield* withStore(
            Effect.gen(function* () {
              const store = yield* Store
              const holding = yield* Deferred.make<void>()
              const first = yield* Effect.forkChild(
                store.withLease("ca-sos")(
                  Effect.gen(function* () {
                    yield* Deferred.succeed(holding, undefined)
                    // Renewed meanwhile: the lease lasts 3 s, the second writer waits longer.
                    yield* Deferred.await(waiting)
                    yield* Effect.sleep("10 seconds")
                    order.push("first")
                  })
                )
              )
              yield* Deferred.await(holding)
              const second = yield* Effect.forkChild(store.withLease("ca-sos")(Effect.sync(() => order.push("second"))))
              yield* Fiber.join(first)
              yield* Fiber.join(second)
            }).pipe(Effect.provide(listening(/waiting for another electfeed/, waiting)))
          )
          assert.deepStrictEqual(order, ["first", "second"])
          assert.include(yield* Deferred.await(waiting), `ca-sos: waiting for another electfeed (`)
        })
      )

      it.effect("the lease of a writer that died expires", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const sql = yield* SqlClient.SqlClient
            const now = yield* Clock.currentTimeMillis
            yield* sql`INSERT INTO source_leases ${sql.insert({
              source: "ca-sos",
              holder: "a process killed with SIGKILL",
              expires_at: new Date(now + 3000).toISOString()
            })}`
            const took = yield* store.withLease("ca-sos")(Clock.currentTimeMillis)
            assert.isAtLeast(took, now + 3000)
          })
        )
      )

      it.effect("past leaseWait, the second writer fails with LeaseBusy naming the holder", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const holding = yield* Deferred.make<void>()
            const first = yield* Effect.forkChild(
              store.withLease("ca-sos")(Effect.andThen(Deferred.succeed(holding, undefined), Effect.never))
            )
            yield* Deferred.await(holding)
            const error = yield* Effect.flip(store.withLease("ca-sos")(Effect.void))
            assert.instanceOf(error, LeaseBusy)
            assert.match(error.message, /^ca-sos is being written by another electfeed \(.+ pid \d+ #\w+\); gave up/)
            yield* Fiber.interrupt(first)
          }),
          { leaseWait: "20 seconds" }
        )
      )

      it.effect("a writer whose lease was taken over stops with a StoreError", () =>
        withStore(
          Effect.gen(function* () {
            const store = yield* Store
            const sql = yield* SqlClient.SqlClient
            const error = yield* Effect.flip(
              store.withLease("ca-sos")(
                Effect.andThen(sql`UPDATE source_leases SET holder = 'another writer'`, Effect.never)
              )
            )
            assert.instanceOf(error, StoreError)
            assert.include(error.message, "lost the lease of ca-sos")
          })
        )
      )

      it("two syncs of one source on one store: the second waits, and the store ends as after one run", async () => {
        const { close, sim } = await damagedDataset()
        try {
          const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
          const once = freshStore(backend.name)
          const alone = await electfeed(["sync", "--config", configFile(once, sim.url)], { env })
          assert.strictEqual(alone.code, 0, alone.stderr)

          const twice = freshStore(backend.name)
          const file = configFile(twice, sim.url)
          sim.setBytesPerSecond(1_000_000)
          const first = start(["sync", "--config", file, "--log-level", "debug"], { env })
          await first.waitFor(/ballotpedia: took the lease/)
          const second = start(["sync", "--config", file], { env })
          await second.waitFor(/ballotpedia: waiting for another electfeed/)
          sim.setBytesPerSecond(undefined)
          const [one, two] = await Promise.all([first.done, second.done])
          assert.strictEqual(one.code, 0, one.stderr)
          assert.strictEqual(two.code, 0, two.stderr)
          const after = await contents(twice)
          assert.deepStrictEqual(after, await contents(once))
          assert.lengthOf(after.entities, rows - 3)
          assert.lengthOf(after.skipped, 3)
        } finally {
          await close()
        }
      })

      it("a sync that waited past leaseWait fails that source with exit 1, saying who holds it; SIGINT stops the wait", async () => {
        const { close, sim } = await damagedDataset()
        try {
          const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
          const where = freshStore(backend.name)
          sim.setBytesPerSecond(10_000)
          const first = start(["sync", "--config", configFile(where, sim.url), "--log-level", "debug"], { env })
          await first.waitFor(/ballotpedia: took the lease/)
          const impatient = await electfeed(
            ["sync", "--config", configFile(where, sim.url, { leaseWait: "1 second" })],
            {
              env
            }
          )
          // The first sync holds the lease until its download is let through, after this one stopped.
          const stopped = start(["sync", "--config", configFile(where, sim.url)], { env })
          await stopped.waitFor(/ballotpedia: waiting for another electfeed/)
          stopped.child.kill("SIGINT")
          assert.strictEqual((await stopped.done).code, 130)
          sim.setBytesPerSecond(undefined)
          assert.strictEqual(impatient.code, 1, impatient.stderr)
          assert.match(
            impatient.stderr,
            /ballotpedia: 0 added.*failed: ballotpedia is being written by another electfeed \(.+ pid \d+ #\w+\); gave up waiting for it after 1s\n/
          )
          assert.strictEqual((await first.done).code, 0)
          const status = await electfeed(["status", "--config", configFile(where, sim.url)], { env })
          assert.match(status.stdout, /last error: .+ ballotpedia is being written by another electfeed/)
        } finally {
          await close()
        }
      })

      it("a sync killed with SIGKILL leaves its lease behind; the next sync on the machine takes it over at once", async () => {
        const { close, sim } = await damagedDataset()
        try {
          const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
          const where = freshStore(backend.name)
          // A lease that would outlive the test: only seeing its holder gone lets the next sync in.
          const file = configFile(where, sim.url, { leaseTtl: "1 hour" })
          sim.setBytesPerSecond(1_000_000)
          const killed = start(["sync", "--config", file, "--log-level", "debug"], { env })
          await killed.waitFor(/ballotpedia: took the lease/)
          killed.child.kill("SIGKILL")
          assert.strictEqual((await killed.done).signal, "SIGKILL")
          sim.setBytesPerSecond(undefined)
          const next = start(["sync", "--config", file], { env })
          const run = await next.done
          assert.match(run.stderr, /ballotpedia: took over the lease of .+ pid \d+ #\w+, which is no longer running/)
          assert.strictEqual(run.code, 0, run.stderr)
          assert.lengthOf((await contents(where)).entities, rows - 3)
        } finally {
          await close()
        }
      })
    }
  )
}
