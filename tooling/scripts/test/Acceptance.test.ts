/**
 * The generator's acceptance test: `new-connector acme "Acme County results"`, then only the edits the
 * guide shows, in the files it names, give a connector whose conformance suite passes; before them, the
 * suite fails on the placeholders alone. The suite runs as an author runs it: vitest in the package.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { type Auth, generate } from "../new-connector.ts"
import { authorFiles, guideFile, markedBlocks } from "./support/Guide.ts"
import { template, workspace } from "./support/Workspace.ts"

const run = promisify(execFile)

/**
 * Links each dependency of the package at `dir` to the template's copy, as `pnpm install` would link
 * them from the store: the generated package's dependencies are the template's.
 */
const linkDependencies = (dir: string) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    readonly dependencies: Record<string, string>
    readonly devDependencies: Record<string, string>
  }
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const link = path.join(dir, "node_modules", name)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(template, "node_modules", name)), link, "dir")
  }
}

/** One test of vitest's JSON report. */
interface TestOutcome {
  readonly title: string
  readonly status: string
}

const isOutcome = (u: unknown): u is TestOutcome =>
  typeof u === "object" &&
  u !== null &&
  typeof (u as TestOutcome).title === "string" &&
  typeof (u as TestOutcome).status === "string"

/**
 * The tests of vitest's JSON report, each checked to have a title and a status; a test file that could
 * not run is one failed test named for the file, with vitest's message.
 */
const outcomesOf = (report: string): ReadonlyArray<TestOutcome> => {
  const parsed = JSON.parse(report) as { readonly testResults?: unknown }
  if (!Array.isArray(parsed.testResults)) throw new Error(`not a vitest JSON report: ${report.slice(0, 200)}`)
  return parsed.testResults.flatMap(
    (file: { readonly name?: unknown; readonly message?: unknown; readonly assertionResults?: unknown }) => {
      const tests = file.assertionResults
      if (!Array.isArray(tests) || !tests.every(isOutcome))
        throw new Error("a test of the report has no title or status")
      const broken = typeof file.message === "string" && file.message !== ""
      return broken ? [...tests, { title: `${String(file.name)}: ${file.message}`, status: "failed" }] : tests
    }
  )
}

/** Runs the package's tests with vitest in a child process, and reports its exit code and each test. */
const runTests = async (dir: string) => {
  const report = path.join(dir, "vitest-report.json")
  // The child is vitest of its own, not a worker of this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")))
  const vitest = path.join(dir, "node_modules", "vitest", "vitest.mjs")
  const code = await run(process.execPath, [vitest, "run", "--reporter=json", `--outputFile=${report}`], {
    cwd: dir,
    env
  }).then(
    () => 0,
    (error: { readonly code?: number }) => error.code ?? -1
  )
  return { code, outcomes: outcomesOf(fs.readFileSync(report, "utf8")) }
}

/** The guide's edits: each line replaces the one line of its file that declares the same name. */
const applyGuideEdits = (dir: string): ReadonlyArray<string> => {
  const edits = markedBlocks(fs.readFileSync(guideFile, "utf8")).filter((block) => block.marker === "edit")
  for (const { file, code } of edits) {
    assert.include(authorFiles, file, "the guide edits a file it does not name for an author")
    const target = path.join(dir, file)
    let text = fs.readFileSync(target, "utf8")
    for (const line of code.trimEnd().split("\n")) {
      const declaration = line.slice(0, line.indexOf(" = ") + 3)
      const lines = text.split("\n")
      const found = lines.filter((candidate) => candidate.startsWith(declaration))
      assert.strictEqual(found.length, 1, `${file}: not one line starts with ${declaration}`)
      text = lines.map((candidate) => (candidate.startsWith(declaration) ? line : candidate)).join("\n")
    }
    fs.writeFileSync(target, text)
  }
  return edits.map((edit) => edit.file)
}

const placeholderCase = "no placeholder is left: no TODO, not the state XX"

const acceptance = (auth: Auth) =>
  it(`new-connector acme${auth === "api-key" ? " --auth api-key" : ""}, then the guide's edits: conformant`, async () => {
    const root = workspace()
    generate({ root, template, id: "acme", name: "Acme County results", auth })
    const dir = path.join(root, "packages", "acme")
    linkDependencies(dir)

    const before = await runTests(dir)
    assert.notStrictEqual(before.code, 0, "as generated, the suite fails")
    assert.deepStrictEqual(
      before.outcomes.filter((test) => test.status !== "passed").map((test) => test.title),
      [placeholderCase],
      "as generated, the placeholders alone fail"
    )

    assert.deepStrictEqual(applyGuideEdits(dir), ["src/Config.ts", "src/Mapping.ts"])
    const after = await runTests(dir)
    const failed = after.outcomes.filter((test) => test.status !== "passed").map((test) => test.title)
    assert.deepStrictEqual(failed, [], "after the guide's edits, every test passes")
    assert.strictEqual(after.code, 0)
    assert.include(
      after.outcomes.map((test) => test.title),
      placeholderCase
    )
    if (auth === "api-key") {
      assert.include(
        after.outcomes.map((test) => test.title),
        "check fails typed with bad credentials"
      )
    }
  }, 60_000)

describe("a connector generated and edited as the guide says", () => {
  acceptance("none")
  acceptance("api-key")
})
