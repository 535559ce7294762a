import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { SourceError } from "../src/index.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined

describe("download names", () => {
  for (const name of ["../outside.bin", "../../outside.bin", "nested/file.bin", "..", ".", "", "a\\b", "nul\u0000"]) {
    it.effect(`${JSON.stringify(name)} is refused with a ConfigError, and nothing is written anywhere`, () =>
      Effect.gen(function* () {
        const host: FileHost.FileHost = { content: FileHost.bytes(10_000), honourRange: true, links: 0 }
        const sim = yield* FileHost.serve(host)
        // The download directory is a folder of a folder, so that a name that climbs out stays in the test's.
        const root = yield* FileHost.tempDirectory
        const directory = path.join(root, "a", "downloads")
        fs.mkdirSync(path.join(directory, "nested"), { recursive: true })
        const exit = yield* Effect.exit(
          FileHost.download(directory, { name, link: Effect.sync(() => FileHost.link(host, sim.url)) })
        )
        const error = failureOf(exit)
        assert.instanceOf(error, SourceError.ConfigError)
        assert.include(error.detail, JSON.stringify(name))
        assert.strictEqual(sim.requests.length, 0)
        assert.deepStrictEqual(fs.readdirSync(root), ["a"])
        assert.deepStrictEqual(fs.readdirSync(path.join(root, "a")), ["downloads"])
        assert.deepStrictEqual(fs.readdirSync(directory), ["nested"])
        assert.deepStrictEqual(fs.readdirSync(path.join(directory, "nested")), [])
      })
    )
  }

  it.effect("names that are not valid Unicode, or too long, are refused too", () =>
    Effect.gen(function* () {
      const directory = yield* FileHost.tempDirectory
      for (const name of ["lone\ud800surrogate", "x".repeat(161)]) {
        const exit = yield* Effect.exit(
          FileHost.download(directory, { name, link: Effect.succeed("http://127.0.0.1:9") })
        )
        assert.instanceOf(failureOf(exit), SourceError.ConfigError, name)
      }
      assert.deepStrictEqual(fs.readdirSync(directory), [])
    })
  )

  it.effect("an odd but plain name is fine", () =>
    Effect.gen(function* () {
      const host: FileHost.FileHost = { content: FileHost.bytes(10_000), honourRange: true, links: 0 }
      const sim = yield* FileHost.serve(host)
      const directory = yield* FileHost.tempDirectory
      const name = "..data %2F é 候选人.json"
      const result = yield* FileHost.download(directory, {
        name,
        link: Effect.sync(() => FileHost.link(host, sim.url))
      })
      assert.strictEqual(result._tag, "Downloaded")
      assert.deepStrictEqual(fs.readdirSync(directory), [name])
    })
  )
})
