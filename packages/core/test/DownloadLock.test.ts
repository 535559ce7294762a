import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Logger, Option } from "effect"
import { SourceError } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined

const content = FileHost.bytes(300_000)
const expected = FileHost.sha256(content)

/**
 * A file host that counts the transfers under way at once. The first transfer sends half the file, then
 * waits for `release` (or for a second request, which a downloader that does not wait would send).
 */
const gatedHost = Effect.gen(function* () {
  let transfers = 0
  let most = 0
  let requests = 0
  const firstHalfSent = Promise.withResolvers<void>()
  const released = Promise.withResolvers<void>()
  const half = content.byteLength / 2
  async function* body(held: boolean) {
    transfers++
    most = Math.max(most, transfers)
    try {
      yield content.subarray(0, half)
      if (held) {
        firstHalfSent.resolve()
        await released.promise
      }
      yield content.subarray(half)
    } finally {
      transfers--
    }
  }
  const sim = yield* Simulator.serve(() => {
    requests++
    if (requests > 1) released.resolve()
    return {
      status: 200,
      headers: { etag: '"v1"', "content-length": String(content.byteLength) },
      body: body(requests === 1)
    }
  })
  return {
    link: `${sim.url}/file.bin`,
    firstHalfSent: firstHalfSent.promise,
    release: () => released.resolve(),
    mostAtOnce: () => most
  }
})

const writeLock = (directory: string, owner: { readonly pid: number; readonly token: string }) =>
  fs.writeFileSync(path.join(directory, "file.bin.lock"), JSON.stringify({ ...owner, host: os.hostname() }))

describe("one downloader per file", () => {
  it.effect("two downloads of one file at once: the second waits, one transfer at a time, both whole", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      const directory = yield* FileHost.tempDirectory
      // The first transfer goes on once the other download is seen waiting for it.
      const seenWaiting = Logger.layer(
        [Logger.make(({ message }) => (String(message).includes("waiting for process") ? host.release() : undefined))],
        { mergeWithExisting: true }
      )
      const one = FileHost.download(directory, { link: Effect.succeed(host.link) })
      const results = yield* Effect.all([one, one], { concurrency: 2 }).pipe(Effect.provide(seenWaiting))
      for (const result of results) assert.strictEqual(result._tag === "Downloaded" && result.sha256, expected)
      assert.strictEqual(host.mostAtOnce(), 1)
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin"])
    })
  )

  it.effect("two processes downloading one file: the second waits for the first, both get it whole", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      const directory = yield* FileHost.tempDirectory
      const child = (onOutput: (text: string) => void) =>
        new Promise<{ readonly code: number | null; readonly output: string }>((resolve) => {
          const process_ = spawn(process.execPath, [
            path.join(import.meta.dirname, "fixtures", "DownloadChild.ts"),
            host.link,
            directory
          ])
          let output = ""
          const collect = (data: Buffer) => {
            output += data.toString()
            onOutput(output)
          }
          process_.stdout.on("data", collect)
          process_.stderr.on("data", collect)
          process_.on("close", (code) => resolve({ code, output }))
        })
      const first = child(() => {})
      yield* Effect.promise(() => host.firstHalfSent)
      // The first process is mid-file: it holds the lock until the second is seen waiting for it.
      const second = child((output) => {
        if (output.includes("waiting for process")) host.release()
      })
      const outcomes = yield* Effect.promise(() => Promise.all([first, second]))
      for (const { code, output } of outcomes) {
        assert.strictEqual(code, 0, output)
        assert.include(output, `RESULT {"sha256":"${expected}"}`)
      }
      assert.strictEqual(host.mostAtOnce(), 1)
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin"])
    })
  )

  it.effect("a lock left by a process that no longer runs is taken over", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      host.release()
      const directory = yield* FileHost.tempDirectory
      const gone = spawnSync(process.execPath, ["-e", ""]).pid
      writeLock(directory, { pid: gone, token: "left-behind" })
      const result = yield* FileHost.download(directory, { link: Effect.succeed(host.link) })
      assert.strictEqual(result._tag === "Downloaded" && result.sha256, expected)
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin"])
    })
  )

  it.effect("a lock naming this process's pid that it does not hold (a restarted container) is taken over", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      host.release()
      const directory = yield* FileHost.tempDirectory
      writeLock(directory, { pid: process.pid, token: "an-earlier-life" })
      const result = yield* FileHost.download(directory, { link: Effect.succeed(host.link) })
      assert.strictEqual(result._tag, "Downloaded")
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin"])
    })
  )

  it.effect("a lock that cannot be read is taken over once it stays so", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      host.release()
      const directory = yield* FileHost.tempDirectory
      fs.writeFileSync(path.join(directory, "file.bin.lock"), "")
      const result = yield* FileHost.download(directory, { link: Effect.succeed(host.link) })
      assert.strictEqual(result._tag, "Downloaded")
    })
  )

  it.effect("a lock held by a running process is waited for, then a ConfigError names it", () =>
    Effect.gen(function* () {
      const host = yield* gatedHost
      const directory = yield* FileHost.tempDirectory
      writeLock(directory, { pid: process.ppid, token: "someone-else" })
      const exit = yield* Effect.exit(
        FileHost.download(directory, { link: Effect.succeed(host.link) }, { step: "1 second" })
      )
      const error = failureOf(exit)
      assert.instanceOf(error, SourceError.ConfigError)
      assert.include(error.detail, `process ${process.ppid} on ${os.hostname()} is downloading the same file`)
      assert.include(error.detail, "after waiting 2 min")
      assert.strictEqual(host.mostAtOnce(), 0)
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin.lock"])
    })
  )
})
