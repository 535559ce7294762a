import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { afterAll } from "vitest"
import { Download, Http, Source } from "../src/index.ts"
import { withVirtualTime } from "../src/testing/Conformance.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const created: Array<string> = []
const tempDirectory = () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-download-test-"))
  created.push(directory)
  return directory
}
afterAll(() => {
  for (const directory of created) fs.rmSync(directory, { recursive: true, force: true })
})

const run = (
  host: FileHost.FileHost,
  url: string,
  directory: string,
  known?: Download.Validators,
  link = Effect.sync(() => FileHost.link(host, url))
) =>
  Effect.gen(function* () {
    const client = yield* Http.makeClient({ source: "files", connector: "files@0.0.0", baseUrl: url })
    return yield* Download.download(client, {
      stream: "file",
      name: "file.bin",
      link,
      known
    })
  }).pipe(Effect.provideService(Download.DownloadDirectory, directory), Effect.provide(Source.layer), withVirtualTime)

const setup = (size = 300_000) =>
  Effect.gen(function* () {
    const host: FileHost.FileHost = { content: FileHost.bytes(size), honourRange: true, links: 0 }
    const sim = yield* FileHost.serve(host)
    return { host, sim, directory: tempDirectory() }
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
})
