import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { afterAll } from "vitest"
import { backends, cleanUp, freshStore, tempDirectory } from "./support/Backends.ts"
import { electfeed, start } from "./support/Cli.ts"
import { contents, countEntities, type Where } from "./support/Peek.ts"
import { startBallotpedia } from "./support/Simulators.ts"

afterAll(cleanUp)

const rows = 20_000

// Real processes doing real work: a loaded machine needs more than the usual 30 s. Every wait below is
// for something the child does (a line it prints, a file it writes), never for a length of time.
const room = 300_000

const configFile = (where: Where, url: string) => {
  const dir = tempDirectory("crash")
  const file = path.join(dir, "electfeed.json")
  fs.writeFileSync(
    file,
    JSON.stringify({
      // The killed sync's lease is left behind: the rerun waits for it to expire.
      store: { ...where, leaseTtl: "1 second" },
      downloads: path.join(dir, "downloads"),
      sources: { ballotpedia: { config: { baseUrl: url, datasets: ["1253"] } } }
    })
  )
  return { file, dir }
}

/** Resolves once `file` holds more than `bytes`; fails if the child ends first. */
const untilWritten = async (file: string, bytes: number, child: ReturnType<typeof start>) => {
  while (!(fs.existsSync(file) && fs.statSync(file).size > bytes)) {
    if (child.child.exitCode !== null) throw new Error(`exited before writing ${file}:\n${child.output().stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `crash safety on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it(
        "a sync killed with SIGKILL mid-parse, then run again, ends with exactly the rows of an uninterrupted run, malformed rows included",
        async () => {
          const { close, sim } = await startBallotpedia({
            datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows }]
          })
          // Malformed rows after the first checkpoint (row 5,000), read again by the rerun.
          sim.breakRow("1253", 5100)
          sim.corruptCell("1253", 5200, "name", "Jane\u0000Doe")
          sim.breakRow("1253", 12_000)
          try {
            const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
            const whole = freshStore(backend.name)
            const wholeRun = await electfeed(["sync", "--config", configFile(whole, sim.url).file], { env })
            assert.strictEqual(wholeRun.code, 0, wholeRun.stderr)
            const expected = await contents(whole)
            assert.lengthOf(expected.entities, rows - 3)
            assert.lengthOf(expected.skipped, 3)

            const killed = freshStore(backend.name)
            const { file } = configFile(killed, sim.url)
            const child = start(["sync", "--config", file, "--log-level", "debug"], { env })
            // Past the first checkpoint (the 6th batch stored), and one batch on, the malformed rows read.
            await child.waitFor(/ballotpedia: stored \d+ events.*, checkpoint dataset:1253/)
            await child.waitFor(/ballotpedia: stored \d+ events/, 7)
            child.child.kill("SIGKILL")
            const stopped = await child.done
            assert.strictEqual(stopped.signal, "SIGKILL")
            const partial = await countEntities(killed, "ballotpedia")
            assert.isTrue(partial > 0 && partial < rows, `killed too late: ${partial} rows were already stored`)

            const again = await electfeed(["sync", "--config", file], { env })
            assert.strictEqual(again.code, 0, again.stderr)
            assert.deepStrictEqual(await contents(killed), expected)
          } finally {
            await close()
          }
        },
        room
      )

      it(
        "a sync killed with SIGKILL mid-download resumes the file where it stopped",
        async () => {
          const { close, sim } = await startBallotpedia({
            datasets: [{ id: "1253", title: "Candidates 2024", kind: "candidates", rows: 20_000 }],
            bytesPerSecond: 8_000_000
          })
          try {
            const env = { BALLOTPEDIA_API_KEY: sim.apiKey }
            const where = freshStore(backend.name)
            const { dir, file } = configFile(where, sim.url)
            const part = path.join(dir, "downloads", "ballotpedia.dataset%3A1253.json.part")
            const child = start(["sync", "--config", file], { env })
            await untilWritten(part, 2_000_000, child)
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
        },
        room
      )
    }
  )
}
