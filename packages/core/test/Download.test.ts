import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import { type Download, Progress } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const run = (
  host: FileHost.FileHost,
  url: string,
  directory: string,
  known?: Download.Validators,
  link = Effect.sync(() => FileHost.link(host, url))
) => FileHost.download(directory, { link, known })

const setup = (size = 300_000) =>
  Effect.gen(function* () {
    const host: FileHost.FileHost = { content: FileHost.bytes(size), honourRange: true, links: 0 }
    const sim = yield* FileHost.serve(host)
    return { host, sim, directory: yield* FileHost.tempDirectory }
  })

const downloaded = (result: Download.DownloadResult) => {
  assert.strictEqual(result._tag, "Downloaded")
  return result as Extract<Download.DownloadResult, { _tag: "Downloaded" }>
}

describe("Download", () => {
  it.effect("downloads a file, hashing it as it streams", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.strictEqual(result.bytes, host.content.byteLength)
      assert.deepStrictEqual(new Uint8Array(fs.readFileSync(result.path)), host.content)
      assert.strictEqual(result.url, `${sim.url}/file.bin`, "the signature is kept out of the URL")
      assert.isFalse(fs.existsSync(`${result.path}.part`))
    })
  )

  it.effect("writes a file of several megabytes byte for byte, through a dropped connection too", () =>
    Effect.gen(function* () {
      // Larger than the write buffers, and not a multiple of their size.
      const { host, sim, directory } = yield* setup(3 * 1024 * 1024 + 123_457)
      sim.inject({ _tag: "ResetMidBody" })
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.deepStrictEqual(new Uint8Array(fs.readFileSync(result.path)), host.content)
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.strictEqual(result.bytes, host.content.byteLength)
    })
  )

  it.effect("continues with Range from the byte on disk when the connection drops", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      sim.inject({ _tag: "ResetMidBody" })
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.deepStrictEqual(new Uint8Array(fs.readFileSync(result.path)), host.content)
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      const resumed = sim.requests.find((r) => r.headers["range"] !== undefined)
      assert.isDefined(resumed)
      assert.match(resumed!.headers["range"]!, /^bytes=[1-9]\d*-$/)
      assert.strictEqual(resumed!.status, 206)
    })
  )

  it.effect("asks for a fresh link when one has expired, and for a truncated body", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      sim.inject({ _tag: "TruncateBody" })
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.isAtLeast(host.links, 2)
    })
  )

  it.effect("skips the bytes on disk when the host ignores Range", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      host.honourRange = false
      sim.inject({ _tag: "ResetMidBody" })
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.deepStrictEqual(new Uint8Array(fs.readFileSync(result.path)), host.content)
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.isTrue(sim.requests.some((r) => r.headers["range"] !== undefined && r.status === 200))
    })
  )

  it.effect("starts again when the file changed on the host mid-download", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      sim.inject({ _tag: "ResetMidBody" })
      const next = FileHost.bytes(250_000, 99)
      // The first link serves the old version; by the time a fresh link is asked for, a new one is out.
      const link = Effect.sync(() => {
        if (host.links === 1) host.content = next
        return FileHost.link(host, sim.url)
      })
      const result = downloaded(yield* run(host, sim.url, directory, undefined, link))
      assert.deepStrictEqual(new Uint8Array(fs.readFileSync(result.path)), next)
      assert.strictEqual(result.sha256, FileHost.sha256(next))
    })
  )

  it.effect("downloads nothing when the file is unchanged", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      const first = downloaded(yield* run(host, sim.url, directory))
      const second = yield* run(host, sim.url, directory, first.validators)
      assert.strictEqual(second._tag, "Unchanged")
      assert.strictEqual(sim.requests.at(-1)!.status, 304)
    })
  )

  it.effect("resumes the part file an interrupted run left behind", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      sim.inject({ _tag: "Stall" })
      const interrupted = yield* Effect.exit(Effect.timeout(run(host, sim.url, directory), "2 seconds"))
      assert.isTrue(Exit.isFailure(interrupted))
      const partial = fs.statSync(path.join(directory, "file.bin.part")).size
      assert.isAbove(partial, 0)
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.strictEqual(sim.requests.at(-1)!.headers["range"], `bytes=${partial}-`)
    })
  )

  it.effect("finishes a part file that was complete when its run was killed", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      fs.writeFileSync(path.join(directory, "file.bin.part"), host.content)
      fs.writeFileSync(path.join(directory, "file.bin.part.json"), JSON.stringify({}))
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.strictEqual(sim.requests.at(-1)!.status, 416)
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.strictEqual(result.bytes, host.content.byteLength)
    })
  )

  it.effect("retries a refusal whose body breaks off, rather than calling it an auth failure", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      const expired = yield* Simulator.serve(() => ({
        status: 403,
        headers: { "content-type": "application/xml" },
        body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".repeat(50)
      }))
      expired.inject({ _tag: "TruncateBody" })
      let calls = 0
      const link = Effect.sync(() =>
        ++calls === 1 ? `${expired.url}/file.bin?Signature=x` : FileHost.link(host, sim.url)
      )
      const result = downloaded(yield* run(host, sim.url, directory, undefined, link))
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.isAtLeast(calls, 2)
    })
  )

  it.effect("a part file whose record was cut short is downloaded again from its first byte", () =>
    Effect.gen(function* () {
      const { host, sim, directory } = yield* setup()
      fs.writeFileSync(path.join(directory, "file.bin.part"), host.content.subarray(0, 1000))
      fs.writeFileSync(path.join(directory, "file.bin.part.json"), "")
      const result = downloaded(yield* run(host, sim.url, directory))
      assert.strictEqual(result.sha256, FileHost.sha256(host.content))
      assert.deepStrictEqual(
        sim.requests.map((r) => [r.status, r.headers["range"]]),
        [[200, undefined]]
      )
      assert.deepStrictEqual(fs.readdirSync(directory), ["file.bin"])
    })
  )

  it.effect("an interrupted download leaves on disk exactly the bytes it counted", () =>
    Effect.gen(function* () {
      // The interrupt lands at a random point of the writes; each round gives it another chance to
      // land while one is under way.
      for (let round = 0; round < 8; round++) {
        const { host, sim, directory } = yield* setup(4_000_000)
        const reported = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          run(host, sim.url, directory).pipe(
            Effect.provideService(Progress.ProgressReporter, () => Deferred.done(reported, Exit.void))
          )
        )
        yield* Deferred.await(reported)
        yield* Fiber.interrupt(fiber)
        const onDisk = fs.statSync(path.join(directory, "file.bin.part")).size
        const result = downloaded(yield* run(host, sim.url, directory))
        assert.strictEqual(result.sha256, FileHost.sha256(host.content))
        assert.strictEqual(sim.requests.at(-1)!.headers["range"], `bytes=${onDisk}-`, `round ${round}`)
      }
    })
  )
})
