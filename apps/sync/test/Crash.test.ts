import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import { Effect, Exit, Scope } from "effect"
import { afterAll } from "vitest"
import { backends, cleanUp, freshStore, tempDirectory } from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"
import { countEntities, entities, type Where } from "./support/Peek.ts"

afterAll(cleanUp)

const rows = 60_000

const serveBallotpedia = async (options: BallotpediaTesting.Simulator.ServeOptions) => {
  const scope = await Effect.runPromise(Scope.make())
  const sim = await Effect.runPromise(Scope.provide(scope)(BallotpediaTesting.serve(options)))
  return { sim, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

const configFile = (where: Where, url: string) => {
  const dir = tempDirectory("crash")
  const file = path.join(dir, "electfeed.json")
  fs.writeFileSync(
    file,
    JSON.stringify({
      store: where,
      downloads: path.join(dir, "downloads"),
      sources: { ballotpedia: { config: { baseUrl: url, datasets: ["1253"] } } }
    })
  )
  return { file, dir }
}

const until = async (condition: () => Promise<boolean>, what: string, limitMillis = 60_000) => {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > limitMillis) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `crash safety on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it("a sync killed with SIGKILL mid-parse, then run again, ends with exactly the rows of an uninterrupted run", async () => {
        const { close, sim } = await serveBallotpedia({
          datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows }]
        })
        try {
          const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
          const whole = freshStore(backend.name)
          const wholeRun = await electfeed(["sync", "--config", configFile(whole, sim.url).file], { env })
          assert.strictEqual(wholeRun.code, 0, wholeRun.stderr)
          assert.strictEqual(await countEntities(whole, "ballotpedia"), rows)

          const killed = freshStore(backend.name)
          const { file } = configFile(killed, sim.url)
          const child = start(["sync", "--config", file], { env })
          await until(async () => (await countEntities(killed, "ballotpedia")) >= 5000, "the first stored batch")
          child.child.kill("SIGKILL")
          const stopped = await child.done
          assert.strictEqual(stopped.signal, "SIGKILL")
          const partial = await countEntities(killed, "ballotpedia")
          assert.isTrue(partial > 0 && partial < rows, `killed too late: ${partial} rows were already stored`)

          const again = await electfeed(["sync", "--config", file], { env })
          assert.strictEqual(again.code, 0, again.stderr)
          assert.deepStrictEqual(await entities(killed, "ballotpedia"), await entities(whole, "ballotpedia"))
        } finally {
          await close()
        }
      })

      it("a sync killed with SIGKILL mid-download resumes the file where it stopped", async () => {
        const { close, sim } = await serveBallotpedia({
          datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows: 20_000 }],
          bytesPerSecond: 8_000_000
        })
        try {
          const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
          const where = freshStore(backend.name)
          const { dir, file } = configFile(where, sim.url)
          const part = path.join(dir, "downloads", "ballotpedia-1253.json.part")
          const child = start(["sync", "--config", file], { env })
          await until(async () => fs.existsSync(part) && fs.statSync(part).size > 2_000_000, "part of the file on disk")
          child.child.kill("SIGKILL")
          assert.strictEqual((await child.done).signal, "SIGKILL")
          const onDisk = fs.statSync(part).size
          assert.isBelow(onDisk, sim.file("1253", "json").size)
          assert.strictEqual(await countEntities(where, "ballotpedia"), 0)

          sim.setBytesPerSecond(undefined)
          const again = await electfeed(["sync", "--config", file], { env })
          assert.strictEqual(again.code, 0, again.stderr)
          assert.strictEqual(await countEntities(where, "ballotpedia"), 20_000)
          const resumed = sim.fileRequests().at(-1)!
          assert.match(resumed.headers["range"] ?? "", /^bytes=\d+-$/)
          assert.isAtMost(Number(/\d+/.exec(resumed.headers["range"]!)![0]), onDisk)
        } finally {
          await close()
        }
      })
    }
  )
}
