import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import { Effect, Exit, Scope } from "effect"
import { afterAll } from "vitest"
import { backends, cleanUp, freshStore, tempDirectory } from "./support/Backends.ts"
import { electfeed, type Run } from "./support/Cli.ts"
import { dump } from "./support/Peek.ts"

afterAll(cleanUp)

const canary = "canary-7Q2x-ELECTFEED-api-key-9f3b"

const serve = async (apiKey: string) => {
  const scope = await Effect.runPromise(Scope.make())
  const sim = await Effect.runPromise(
    Scope.provide(scope)(
      BallotpediaTesting.serve({
        apiKey,
        datasets: [
          { id: "1253", title: "Candidates 2024", kind: "candidates", rows: 300 },
          { id: "1098", title: "Endorsements Sample for Data Clients", kind: "endorsements", rows: 20 }
        ]
      })
    )
  )
  return { sim, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

/** Every file below `dir`, as text. */
const filesText = (dir: string): string =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "latin1"))
        .join("\n")
    : ""

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `secrets on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it("a canary API key appears nowhere: stdout, stderr, logs, the database, downloads or state", async () => {
        const good = await serve(canary)
        const refusing = await serve("some-other-key")
        try {
          const where = freshStore(backend.name)
          const dir = tempDirectory("secrets")
          const config = (url: string) => {
            const file = path.join(dir, `electfeed-${url.split(":").at(-1)}.json`)
            fs.writeFileSync(
              file,
              JSON.stringify({
                store: where,
                downloads: path.join(dir, "downloads"),
                sources: { ballotpedia: { config: { baseUrl: url } } }
              })
            )
            return file
          }
          const env = { BALLOTPEDIA_API_KEY: canary }
          const runs: Array<Run> = [
            await electfeed(["sync", "--config", config(good.sim.url), "--log-level", "debug"], { env }),
            await electfeed(["sync", "--config", config(good.sim.url), "--log-format", "json", "--log-level", "all"], {
              env
            }),
            await electfeed(
              ["read", "ballotpedia", "--base-url", good.sim.url, "--format", "csv", "--log-level", "all"],
              { env }
            ),
            await electfeed(["sync", "--config", config(refusing.sim.url), "--log-level", "all"], { env }),
            await electfeed(["read", "ballotpedia", "--base-url", refusing.sim.url], { env }),
            await electfeed(["status", "--config", config(good.sim.url)], { env })
          ]
          assert.deepStrictEqual(
            runs.map((r) => r.code),
            [0, 0, 0, 1, 1, 0]
          )
          assert.isTrue(
            good.sim.requests.some((r) => r.headers["x-api-key"] === canary),
            "the key never reached the API"
          )
          assert.include(runs[3]!.stderr, "refused the credentials")
          assert.include(
            runs[0]!.stderr,
            "DEBUG",
            "the debug logs, where a careless client would print headers, were not examined"
          )
          assert.include(runs[1]!.stderr, '"level":"DEBUG"')
          assert.isAbove(runs[2]!.stdout.length, 0)
          for (const [i, run] of runs.entries()) {
            assert.notInclude(run.stdout, canary, `stdout of run ${i}`)
            assert.notInclude(run.stderr, canary, `stderr of run ${i}`)
          }
          assert.notInclude(await dump(where), canary, "the database")
          if (backend.name === "sqlite")
            assert.notInclude(filesText(path.dirname(where.url)), canary, "the database files")
          assert.notInclude(filesText(dir), "Signature=", "a presigned link was kept")
          assert.notInclude(filesText(path.join(dir, "downloads")), canary, "the downloads")
        } finally {
          await good.close()
          await refusing.close()
        }
      })
    }
  )
}
