/** stdout that goes away (`| head -1`) or cannot take more (`> /dev/full`), with real child processes. */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import { bin, type Run } from "./support/Cli.ts"
import { startCaSos } from "./support/Simulators.ts"

let caSos: Awaited<ReturnType<typeof startCaSos>>
beforeAll(async () => {
  caSos = await startCaSos()
})
afterAll(() => caSos.close())

/** Runs `electfeed args` into a reader that closes its end of the pipe after the first line, as `head -1` does. */
const intoHead = (args: ReadonlyArray<string>) =>
  new Promise<Run & { readonly firstLine: string }>((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (stdout.includes("\n")) child.stdout.destroy()
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, firstLine: stdout.split("\n")[0]! }))
  })

/** Runs `electfeed args` with stdout on `/dev/full`, where every write fails with ENOSPC. */
const intoFullDisk = (args: ReadonlyArray<string>) =>
  new Promise<Run>((resolve) => {
    const full = fs.openSync("/dev/full", "w")
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", full, "pipe"] })
    fs.closeSync(full)
    let stderr = ""
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code, signal) => resolve({ code, signal, stdout: "", stderr }))
  })

describe("electfeed's output", () => {
  it("ends quietly with exit 0 when the reader goes away after the first line", async () => {
    for (const args of [["read", "ca-sos", "--base-url", caSos.sim.url], ["sources"]]) {
      const run = await intoHead(args)
      assert.strictEqual(run.code, 0, run.stderr)
      assert.strictEqual(run.stderr, "")
      assert.notStrictEqual(run.firstLine, "")
    }
  })

  it.skipIf(!fs.existsSync("/dev/full"))("fails in one line, with a non-zero exit, when the disk is full", async () => {
    for (const args of [
      ["read", "ca-sos", "--base-url", caSos.sim.url, "--endpoint", "/returns/governor"],
      ["sources"]
    ]) {
      const run = await intoFullDisk(args)
      assert.strictEqual(run.code, 1, run.stderr)
      assert.match(run.stderr, /^electfeed: cannot write the output: ENOSPC: no space left on device, write\n$/)
    }
  })
})
