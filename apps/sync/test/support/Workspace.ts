/**
 * A pnpm workspace in a temporary folder with a connector made by the generator, as `./pnpm new-connector
 * <id> "<name>"` makes one, its dependencies linked as `pnpm install` links them: what a connector author
 * has before touching `apps/sync`.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { tempDirectory } from "./Backends.ts"

const repository = path.resolve(import.meta.dirname, "../../../..")
const template = path.join(repository, "tooling", "connector-template")
const generator = path.join(repository, "tooling", "scripts", "new-connector.ts")

/** Links each dependency of the package at `dir` to the template's copy (its dependencies are the template's). */
const linkDependencies = (dir: string) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    readonly dependencies?: Record<string, string>
    readonly peerDependencies?: Record<string, string>
  }
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const link = path.join(dir, "node_modules", name)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(template, "node_modules", name)), link, "dir")
  }
}

/** A workspace holding the connector `id` made by the generator; returns the workspace's root. */
export const connectorWorkspace = (id: string, name: string): string => {
  const root = tempDirectory("workspace")
  fs.writeFileSync(path.join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n")
  fs.copyFileSync(path.join(repository, "tsconfig.base.json"), path.join(root, "tsconfig.base.json"))
  fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify({ files: [], references: [] }))
  fs.mkdirSync(path.join(root, "packages"))
  fs.mkdirSync(path.join(root, ".changeset"))
  // The generator runs as a script of its own, as `./pnpm new-connector` runs it.
  execFileSync(process.execPath, [
    "--input-type=module",
    "-e",
    `import { generate } from ${JSON.stringify(pathToFileURL(generator).href)}
generate(${JSON.stringify({ root, template, id, name })})`
  ])
  linkDependencies(path.join(root, "packages", id))
  return root
}
