/**
 * The CLI against a PostgreSQL that stops answering, drops its connections or never answers at all,
 * through a TCP proxy on 127.0.0.1; and a feed with a string PostgreSQL cannot keep.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import {
  backends,
  cleanUp,
  freshStore,
  postgresAvailable,
  postgresUrl,
  skipReason,
  tempDirectory
} from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"
import { contents, countEntities, type Where } from "./support/Peek.ts"
import { startBallotpedia } from "./support/Simulators.ts"
import * as TcpProxy from "./support/TcpProxy.ts"

const rows = 10_000

let ballotpedia: Awaited<ReturnType<typeof startBallotpedia>>
beforeAll(async () => {
  ballotpedia = await startBallotpedia({
    datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows }]
  })
})
afterAll(async () => {
  await ballotpedia.close()
  await cleanUp()
})

const env = () => ({ BALLOTPEDIA_API_KEY: ballotpedia.sim.apiKey })

const configFile = (store: Where & Record<string, unknown>) => {
  const dir = tempDirectory("faults")
  const file = path.join(dir, "electfeed.json")
  fs.writeFileSync(
    file,
    JSON.stringify({
      store,
      downloads: path.join(dir, "downloads"),
      sources: { ballotpedia: { config: { baseUrl: ballotpedia.sim.url, datasets: ["1253"] } } }
    })
  )
  return file
}

/** A fresh PostgreSQL store reached through a proxy, and the same store reached directly. */
const behindProxy = async () => {
  const target = new URL(postgresUrl)
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) })
  const direct = freshStore("postgres")
  return { proxy, direct, proxied: { ...direct, url: postgresUrl.replace(target.host, proxy.host) } }
}

/** Resolves once the child stored its first batch, read from the store directly. */
const firstBatch = async (where: Where, child: ReturnType<typeof start>) => {
  await child.waitFor(/ballotpedia: stored \d+ events/)
  assert.isAbove(await countEntities(where, "ballotpedia"), 0)
}

describe.skipIf(!postgresAvailable)(
  `a PostgreSQL store at fault${postgresAvailable ? "" : ` (skipped: ${skipReason})`}`,
  () => {
    it("one that stops answering mid-sync fails the sync with exit 3 after statementTimeout, saying so", async () => {
      const { direct, proxied, proxy } = await behindProxy()
      try {
        const child = start(
          ["sync", "--config", configFile({ ...proxied, statementTimeout: "2 seconds" }), "--log-level", "debug"],
          {
            env: env()
          }
        )
        await firstBatch(direct, child)
        proxy.freeze()
        const run = await child.done
        assert.strictEqual(run.code, 3, run.stderr)
        assert.match(
          run.stderr,
          /\nelectfeed: store: cannot .+no answer from postgres:\/\/.+ in 2s\)?\n$/,
          run.stderr.slice(-500)
        )
      } finally {
        await proxy.close()
      }
    })

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it(`${signal} interrupts a store call stuck on a silent connection, and the CLI exits 130`, async () => {
        const { direct, proxied, proxy } = await behindProxy()
        try {
          const child = start(["sync", "--config", configFile(proxied), "--log-level", "debug"], { env: env() })
          await firstBatch(direct, child)
          proxy.freeze()
          await proxy.unanswered()
          child.child.kill(signal)
          const run = await child.done
          assert.strictEqual(run.code, 130, run.stderr)
          assert.notInclude(run.stderr, "unexpected failure")
        } finally {
          await proxy.close()
        }
      })
    }

    it("a connection dropped in the middle of a transaction fails the sync with exit 3 and one readable line", async () => {
      const { direct, proxied, proxy } = await behindProxy()
      try {
        const child = start(["sync", "--config", configFile(proxied), "--log-level", "debug"], { env: env() })
        await firstBatch(direct, child)
        proxy.dropOn("INSERT INTO")
        const run = await child.done
        assert.strictEqual(run.code, 3, run.stderr)
        assert.notInclude(run.stderr, "unexpected failure")
        assert.match(run.stderr, /\nelectfeed: store: cannot store a batch of ballotpedia: .+\n$/)
      } finally {
        await proxy.close()
      }
    })

    it("one that never answers fails the sync with exit 3 after connectTimeout", async () => {
      const { proxied, proxy } = await behindProxy()
      try {
        proxy.freeze()
        const run = await electfeed(["sync", "--config", configFile({ ...proxied, connectTimeout: "1 second" })], {
          env: env()
        })
        assert.strictEqual(run.code, 3, run.stderr)
        assert.match(run.stderr, /electfeed: store: cannot .+ postgres:\/\/.+/)
      } finally {
        await proxy.close()
      }
    })
  }
)

describe.skipIf(!backends.every((b) => b.available))("a name with U+0000 in a bulk file", () => {
  it("is kept aside as a located malformed row on both backends alike, and the rest is stored", async () => {
    ballotpedia.sim.corruptCell("1253", 7, "name", "Jane\u0000Doe")
    const stored = []
    for (const backend of backends) {
      const where = freshStore(backend.name)
      const file = configFile(where)
      const run = await electfeed(["sync", "--config", file], { env: env() })
      assert.strictEqual(run.code, 0, run.stderr)
      assert.include(run.stderr, "1 malformed rows skipped")
      const again = await electfeed(["sync", "--config", file], { env: env() })
      assert.strictEqual(again.code, 0, again.stderr)
      const status = await electfeed(["status", "--config", file], { env: env() })
      assert.include(status.stdout, `entities stored:      ${rows - 1} (1 malformed rows kept aside)`)
      stored.push(await contents(where))
    }
    assert.deepStrictEqual(stored[0], stored[1])
  })
})
