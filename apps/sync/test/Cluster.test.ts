/**
 * Polling on Effect Cluster, with real processes: three `electfeed poll --runner` processes on one
 * PostgreSQL database (created for this run) share the CA SOS source, their rate limits in Redis. The
 * runner polling CA SOS is killed with SIGKILL in the middle of a poll, half way through election night.
 *
 * The timeline moves on only when a runner reports a poll (that is, once the poll is stored), so every
 * update is stored by some runner whoever polls it, and the history can be compared with a
 * single-process `poll` of the same timeline run beside it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Simulator, Timeline } from "@electfeed/core/testing"
import { Effect, Exit, Scope } from "effect"
import { afterAll } from "vitest"
import { Store } from "../src/store/Store.ts"
import { cleanUp, freshStore, postgresAvailable, postgresUrl, skipReason, tempDirectory } from "./support/Backends.ts"
import { start } from "./support/Cli.ts"
import { contents, type Where } from "./support/Peek.ts"
import { createDatabase, dropDatabase, freePort, redisAvailable, redisUrl } from "./support/Services.ts"

afterAll(cleanUp)

const cadenceMillis = 1000
/** Requests per second to CA SOS, for all runners together, sent evenly from the first one on. */
const limit = 4
const burst = 1
const endpoints = [
  "/returns/governor",
  "/returns/ballot-measures",
  "/returns/us-rep/district/all",
  "/returns/state-senate/district/all"
]
/** The update at which the polling runner is killed, in the middle of its next poll. */
const killAt = 3

// Cluster settings for a 1 s cadence (see README: Running on several machines): a dead runner's
// sources move once its heartbeat is 1 s old; locks are renewed every 333 ms, and a renewal may take
// that long before the runner gives its sources up (they come back once it recovers).
const cluster = {
  shards: 8,
  lockExpiration: "1 second",
  lockRefresh: "1 second",
  assignmentRefresh: "250 millis",
  healthCheck: "1 second"
}

interface Logged {
  readonly at: number
  readonly path: string
  readonly position: number
}

/**
 * The CA SOS simulator's election night, each request logged with its arrival time. `before` may hold a
 * request's answer back (to kill its sender first).
 */
const startTimeline = async () => {
  const timeline = Timeline.make(Array.from({ length: CaSosTesting.Data.builtin.steps }, (_, i) => i) as [number])
  const answer = CaSosTesting.Simulator.handler(CaSosTesting.Data.builtin, () => timeline.position)
  const log: Array<Logged> = []
  const hooks: { before: ((logged: Logged) => Promise<void>) | undefined } = { before: undefined }
  const scope = await Effect.runPromise(Scope.make())
  const server = await Effect.runPromise(
    Scope.provide(scope)(
      Simulator.serve(async (request) => {
        const logged = { at: performance.now(), path: request.path, position: timeline.position }
        log.push(logged)
        const before = hooks.before
        if (before !== undefined) {
          hooks.before = undefined
          await before(logged)
        }
        return answer(request)
      })
    )
  )
  return { url: server.url, timeline, log, hooks, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

const configFile = (where: Where, url: string, extra: Record<string, unknown>) => {
  const file = path.join(tempDirectory("cluster"), "electfeed.json")
  fs.writeFileSync(
    file,
    JSON.stringify({
      store: where,
      ...extra,
      sources: {
        "ca-sos": {
          every: `${cadenceMillis} millis`,
          config: { baseUrl: url, endpoints, rateLimit: { limit, window: "1 second", burst } }
        }
      }
    })
  )
  return file
}

type Child = ReturnType<typeof start>

const lines = (child: Child, pattern: RegExp) =>
  child
    .output()
    .stderr.split("\n")
    .filter((line) => pattern.test(line))

/** Moves the timeline on after each reported poll (`ready` permitting); resolves once the last update is stored. */
const drive = (
  night: Awaited<ReturnType<typeof startTimeline>>,
  children: ReadonlyArray<Child>,
  ready: () => boolean
) =>
  new Promise<void>((resolve, reject) => {
    // Polls reported before now read the first update, whichever moment the drive starts at.
    const seen = new Map(children.map((child) => [child, lines(child, /^ca-sos poll \d+: /).length]))
    const check = setInterval(() => {
      for (const child of children) {
        const reports = lines(child, /^ca-sos poll \d+: /)
        const fresh = reports.slice(seen.get(child) ?? 0)
        seen.set(child, reports.length)
        for (const report of fresh) {
          if (report.includes("failed")) return reject(new Error(`a poll failed: ${report}`))
          if (night.timeline.atEnd) {
            clearInterval(check)
            return resolve()
          }
          if (ready()) night.timeline.advance()
        }
      }
    }, 5)
  })

const stop = async (children: ReadonlyArray<Child>) => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGTERM")
  await Promise.all(children.map((child) => child.done))
}

/** Indexes of requests in `log` that continue a poll they do not follow: two polls interleaved. */
const interleaved = (log: ReadonlyArray<Logged>) =>
  log.flatMap((request, i) => {
    const index = endpoints.indexOf(request.path)
    return index > 0 && endpoints.indexOf(log[i - 1]?.path ?? "") !== index - 1 ? [i] : []
  })

/** The most requests any stretch of `log` holds beyond what the token bucket lets through in it. */
const overLimit = (log: ReadonlyArray<Logged>) => {
  let worst = Number.NEGATIVE_INFINITY
  for (let i = 0; i < log.length; i++) {
    for (let j = i; j < log.length; j++) {
      const allowed = burst + (limit * (log[j]!.at - log[i]!.at)) / 1000
      worst = Math.max(worst, j - i + 1 - allowed)
    }
  }
  return worst
}

const available = postgresAvailable && redisAvailable

describe.skipIf(!available)(
  `electfeed poll --runner${available ? "" : ` (skipped: ${postgresAvailable ? `no Redis at ${redisUrl}` : skipReason})`}`,
  () => {
    it("three runners: one polls CA SOS at a time, another takes over within 3 cadences of a SIGKILL, the history equals a single process's, and the rate stays within the limit", async () => {
      const database = await createDatabase("electfeed_cluster")
      const clusterNight = await startTimeline()
      const singleNight = await startTimeline()
      const runners: Array<Child> = []
      let single: Child | undefined
      try {
        const clusterStore = { url: database.url }
        const clusterConfig = configFile(clusterStore, clusterNight.url, {
          rateLimit: { store: redisUrl, prefix: `electfeed-test-${process.pid}-${Date.now()}:` },
          cluster
        })
        const singleStore = freshStore("postgres")
        single = start(["poll", "--config", configFile(singleStore, singleNight.url, {})])

        // The store's tables are made first, so that the runners start together.
        await Effect.runPromise(Effect.provide(Effect.void, Store.layer(clusterStore)))
        const ports = await Promise.all([freePort(), freePort(), freePort()])
        for (const port of ports) {
          runners.push(start(["poll", "--config", clusterConfig, "--runner", `127.0.0.1:${port}`]))
        }
        await Promise.all(runners.map((child) => child.waitFor(/joins the cluster/)))

        // The runner polling CA SOS is the one that last started to and has not stopped since.
        const holder = () =>
          runners.find((child) => {
            const [last] = lines(child, /polls ca-sos|stopped polling ca-sos/).slice(-1)
            return last !== undefined && /polls ca-sos/.test(last)
          })
        let killed: { readonly child: Child; readonly at: number } | undefined
        const clusterDone = drive(clusterNight, runners, () => {
          if (clusterNight.timeline.position + 1 === killAt) {
            // Armed: the next request is the holder's next poll; it dies waiting for the answer.
            clusterNight.hooks.before = async (logged) => {
              const child = holder()
              if (child === undefined) throw new Error("no runner polls ca-sos")
              killed = { child, at: logged.at }
              child.child.kill("SIGKILL")
              await child.done
            }
          }
          return true
        })
        await Promise.all([clusterDone, drive(singleNight, [single], () => true)])
        await stop([...runners, single])

        // The killed runner held the poller, and another one took it over.
        assert.isDefined(killed, "no runner was killed")
        const victim = killed!
        assert.strictEqual((await victim.child.done).signal, "SIGKILL")
        const takers = runners.filter((child) => child !== victim.child && lines(child, /polls ca-sos/).length > 0)
        assert.isAtLeast(takers.length, 1, "no other runner polled ca-sos")

        // Within 3 cadences of the kill, the next poll reached the API.
        const next = clusterNight.log.find((request) => request.at > victim.at)
        assert.isDefined(next, "no request after the kill")
        const takeover = next!.at - victim.at
        assert.isAtMost(takeover, 3 * cadenceMillis, `the next poll came ${Math.round(takeover)} ms after the kill`)

        // Never two polls at once: each request follows the one before it in its poll.
        assert.deepStrictEqual(interleaved(clusterNight.log), [], "two polls overlapped")
        assert.deepStrictEqual(interleaved(singleNight.log), [])

        // Every update stored once, as by one process.
        const [fromCluster, fromSingle] = await Promise.all([contents(clusterStore), contents(singleStore)])
        assert.isAbove(fromSingle.history.length, 0)
        assert.deepStrictEqual(fromCluster.history, fromSingle.history)
        assert.deepStrictEqual(fromCluster.entities, fromSingle.entities)

        // The combined rate: over the whole run within 2% of the limit, and no stretch of it with more
        // than the bucket lets through, give or take one request of arrival-time jitter.
        const log = clusterNight.log
        const rate = ((log.length - burst) * 1000) / (log.at(-1)!.at - log[0]!.at)
        assert.isAtMost(rate, limit * 1.02, `${rate.toFixed(2)} requests/s`)
        assert.isAtMost(overLimit(log), 1, "a burst beyond the limit")
      } finally {
        await stop(runners.concat(single === undefined ? [] : [single]))
        await Promise.all([clusterNight.close(), singleNight.close()])
        await dropDatabase(database.name)
      }
    }, 240_000)

    it("a runner address that is not HOST:PORT is a usage error", async () => {
      const file = configFile({ url: postgresUrl }, "http://127.0.0.1:9", {})
      const run = await start(["poll", "--config", file, "--runner", "127.0.0.1"]).done
      assert.strictEqual(run.code, 2, run.stderr)
      assert.include(run.stderr, "--runner: expected HOST:PORT")
    })

    it("--runner with a SQLite store is a config error", async () => {
      const file = configFile({ url: path.join(tempDirectory("cluster"), "feed.db") }, "http://127.0.0.1:9", {})
      const run = await start(["poll", "--config", file, "--runner", "127.0.0.1:9"]).done
      assert.strictEqual(run.code, 2, run.stderr)
      assert.include(run.stderr, "--runner needs a PostgreSQL store")
    })
  }
)
