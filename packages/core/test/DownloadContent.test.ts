import * as fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { type Download, SourceError } from "../src/index.ts"
import * as Simulator from "../src/testing/Simulator.ts"
import * as FileHost from "./fixtures/FileHost.ts"

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined

const errorPage = "<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body>Try later</body></html>"

/** Downloads one body served with 200 and `contentType`, as `expect`. */
const serveAndDownload = (expect: Download.Expect, contentType: string, body: Simulator.SimBody) =>
  Effect.gen(function* () {
    const sim = yield* Simulator.serve(() => ({ status: 200, headers: { "content-type": contentType }, body }))
    const directory = yield* FileHost.tempDirectory
    const exit = yield* Effect.exit(FileHost.download(directory, { link: Effect.succeed(`${sim.url}/file`), expect }))
    return { exit, directory }
  })

const bytesOf = (text: string) => new TextEncoder().encode(text)

describe("a download is the kind of file asked for", () => {
  for (const expect of ["csv", "json-array"] as const) {
    it.effect(`an HTML page served with 200 for a ${expect} file is a DecodeError, and nothing is kept`, () =>
      Effect.gen(function* () {
        const { exit, directory } = yield* serveAndDownload(expect, "text/html; charset=utf-8", errorPage)
        const error = failureOf(exit)
        assert.instanceOf(error, SourceError.DecodeError)
        assert.include(error.detail, "text/html")
        assert.deepStrictEqual(fs.readdirSync(directory), [])
      })
    )

    it.effect(`an HTML page with no telling content type, for a ${expect} file, is a DecodeError`, () =>
      Effect.gen(function* () {
        // Its first bytes come one at a time: the check waits for the first that is not blank.
        const { exit } = yield* serveAndDownload(
          expect,
          "binary/octet-stream",
          FileHost.paced(bytesOf(`\uFEFF \r\n${errorPage}`), 1, 0)
        )
        const error = failureOf(exit)
        assert.instanceOf(error, SourceError.DecodeError)
        assert.match(error.excerpt, /^</)
      })
    )
  }

  it.effect("a JSON file that is not an array is a DecodeError", () =>
    Effect.gen(function* () {
      const { exit } = yield* serveAndDownload("json-array", "application/json", '{"message":"Internal error"}')
      const error = failureOf(exit)
      assert.instanceOf(error, SourceError.DecodeError)
      assert.match(error.detail, /does not start with a JSON array/)
    })
  )

  for (const [expect, body] of [
    ["json-array", '\uFEFF\n  [{"id": 1}]\n'],
    ["csv", "\uFEFFid,name\r\n1,<b>bold</b>\r\n"],
    ["csv", ""]
  ] as const) {
    it.effect(`${JSON.stringify(body)} is a fine ${expect} file`, () =>
      Effect.gen(function* () {
        const { exit } = yield* serveAndDownload(expect, "text/plain", FileHost.paced(bytesOf(body), 2, 0))
        assert.isTrue(Exit.isSuccess(exit))
      })
    )
  }
})
