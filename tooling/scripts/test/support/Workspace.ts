/**
 * A workspace to generate connectors into: a temporary folder with the few files of the repository the
 * generator writes to, so that a test never touches the real one.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { onTestFinished } from "vitest"

const repository = path.resolve(import.meta.dirname, "../../../..")

/** The connector template the generator copies. */
export const template = path.join(repository, "tooling", "connector-template")

/**
 * A fresh workspace: `packages/`, `.changeset/`, a root `tsconfig.json` listing `packages/core`, and the
 * repository's `tsconfig.base.json`, which a package's settings extend. It is removed when the test that
 * made it finishes, passed or failed.
 */
export const workspace = (): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-generator-"))
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }))
  fs.copyFileSync(path.join(repository, "tsconfig.base.json"), path.join(root, "tsconfig.base.json"))
  fs.mkdirSync(path.join(root, "packages"))
  fs.mkdirSync(path.join(root, ".changeset"))
  fs.writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({ files: [], references: [{ path: "packages/core" }] })
  )
  return root
}
