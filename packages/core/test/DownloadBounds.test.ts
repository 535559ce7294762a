import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { Retry, SourceError } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined

const setup = (size = 300_000) =>
  Effect.gen(function* () {
    const host: FileHost.FileHost = { content: FileHost.bytes(size), honourRange: true, links: 0 }
    const sim = yield* FileHost.serve(host)
    return {
      host,
      sim,
      directory: yield* FileHost.tempDirectory,
      link: Effect.sync(() => FileHost.link(host, sim.url))
    }
  })

const { maxAttempts } = Retry.defaultPolicy

/** A body that never ends, in pieces of 64 KiB. */
async function* endless() {
  const piece = new Uint8Array(64 * 1024).fill(0x61)
  for (;;) {
    yield piece
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe("restarts are bounded", () => {
  it.effect("a host that always answers 416 fails the download typed, after the policy's attempts", () =>
    Effect.gen(function* () {
      const { sim, directory, link } = yield* setup()
      sim.inject({ _tag: "Status", status: 416, headers: { "content-range": "bytes */999" } }, { times: 1000 })
      const error = failureOf(yield* Effect.exit(FileHost.download(directory, { link })))
      assert.instanceOf(error, SourceError.Transient)
      assert.strictEqual(error.status, 416)
      assert.strictEqual(sim.requests.length, maxAttempts)
    })
  )

  it.effect("a host that always resumes from the wrong byte fails the download typed", () =>
    Effect.gen(function* () {
      const { host, sim, directory, link } = yield* setup()
      // A part file to resume: every answer to its Range starts somewhere else.
      fs.writeFileSync(path.join(directory, "file.bin.part"), host.content.subarray(0, 1000))
      fs.writeFileSync(path.join(directory, "file.bin.part.json"), "{}")
      sim.inject(
        { _tag: "Status", status: 206, headers: { "content-range": "bytes 5-999/300000" }, body: "x".repeat(995) },
        { times: 1000 }
      )
      const error = failureOf(yield* Effect.exit(FileHost.download(directory, { link })))
      assert.instanceOf(error, SourceError.Transient)
      assert.strictEqual(error.status, 206)
      assert.strictEqual(sim.requests.length, maxAttempts)
      assert.deepStrictEqual(
        sim.requests.map((r) => r.headers["range"]),
        ["bytes=1000-", ...Array(maxAttempts - 1).fill(undefined)],
        "the part file was given up after the wrong answer"
      )
    })
  )

  it.effect("a 416 to a resume is followed by a download from the first byte", () =>
    Effect.gen(function* () {
      const { host, sim, directory, link } = yield* setup()
      fs.writeFileSync(path.join(directory, "file.bin.part"), FileHost.bytes(1000, 3))
      fs.writeFileSync(path.join(directory, "file.bin.part.json"), "{}")
      sim.inject({ _tag: "Status", status: 416, headers: { "content-range": "bytes */999" } })
      const result = yield* FileHost.download(directory, { link })
      assert.strictEqual(result._tag === "Downloaded" && result.sha256, FileHost.sha256(host.content))
      assert.deepStrictEqual(
        sim.requests.map((r) => [r.status, r.headers["range"]]),
        [
          [416, "bytes=1000-"],
          [200, undefined]
        ]
      )
    })
  )
})

describe("size is bounded", () => {
  it.effect("a file announced larger than maxBytes fails with a DecodeError, and nothing is kept", () =>
    Effect.gen(function* () {
      const { sim, directory, link } = yield* setup()
      const error = failureOf(yield* Effect.exit(FileHost.download(directory, { link, maxBytes: 100_000 })))
      assert.instanceOf(error, SourceError.DecodeError)
      assert.match(error.detail, /more than the 100\.0 kB allowed/)
      assert.strictEqual(sim.requests.length, 1)
      assert.deepStrictEqual(fs.readdirSync(directory), [])
    })
  )

  it.effect("an endless body is cut at maxBytes with a DecodeError, and nothing is kept", () =>
    Effect.gen(function* () {
      const sim = yield* Simulator.serve(() => ({ status: 200, body: endless() }))
      const directory = yield* FileHost.tempDirectory
      const maxBytes = 3 * 1024 * 1024
      const error = failureOf(
        yield* Effect.exit(FileHost.download(directory, { link: Effect.succeed(`${sim.url}/file.bin`), maxBytes }))
      )
      assert.instanceOf(error, SourceError.DecodeError)
      assert.match(error.detail, /more than 3\.15 MB/)
      assert.deepStrictEqual(fs.readdirSync(directory), [])
    })
  )

  it.effect("a file the disk has no room for fails with a ConfigError before anything is written", () =>
    Effect.gen(function* () {
      const petabyte = 2 ** 50
      const sim = yield* Simulator.serve(() => ({
        status: 200,
        headers: { "content-length": String(petabyte) },
        body: "the rest never comes"
      }))
      const directory = yield* FileHost.tempDirectory
      const error = failureOf(
        yield* Effect.exit(
          FileHost.download(directory, {
            link: Effect.succeed(`${sim.url}/file.bin`),
            maxBytes: Number.MAX_SAFE_INTEGER
          })
        )
      )
      assert.instanceOf(error, SourceError.ConfigError)
      assert.match(error.detail, /has [\d.]+ [kMGT]?B free; file\.bin needs 1125\.9 TB more/)
      assert.deepStrictEqual(fs.readdirSync(directory), [])
    })
  )
})

describe("time is bounded", () => {
  it.effect("a host trickling bytes is given up at maxDuration, keeping what arrived", () =>
    Effect.gen(function* () {
      const content = FileHost.bytes(100_000)
      const sim = yield* Simulator.serve(() => ({ status: 200, body: FileHost.paced(content, 1, 5) }))
      const directory = yield* FileHost.tempDirectory
      const error = failureOf(
        yield* Effect.exit(
          FileHost.download(directory, { link: Effect.succeed(`${sim.url}/file.bin`), maxDuration: "5 seconds" })
        )
      )
      assert.instanceOf(error, SourceError.Transient)
      assert.strictEqual(error.reason, "timeout")
      assert.match(error.detail, /did not finish within 5\.0 s/)
      const kept = fs.readFileSync(path.join(directory, "file.bin.part"))
      assert.isAbove(kept.byteLength, 0)
      assert.deepStrictEqual(new Uint8Array(kept), content.subarray(0, kept.byteLength))
    })
  )
})
