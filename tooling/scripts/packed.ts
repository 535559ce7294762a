/**
 * Packed packages as a consumer sees them: tarballs unpacked into a `node_modules` of their own, their
 * entry imported through the packed `exports`, and a connector's `source.connector` compared with the
 * `name@version` of the package.json it was packed with.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

/** A package as `pnpm pack` produced it. */
export interface Packed {
  /** The workspace folder it was packed from; its `node_modules` supplies the dependencies not packed. */
  readonly dir: string
  readonly tarball: string
  readonly name: string
  readonly version: string
}

/**
 * Unpacks every tarball into `consumer/node_modules/<name>` and links the other dependencies and peers
 * each one declares to the copy its workspace folder resolves, so imports between the packed packages use
 * the packed files and nothing of the workspace's sources.
 */
export const install = (consumer: string, packages: ReadonlyArray<Packed>): void => {
  const modules = path.join(consumer, "node_modules")
  const packedNames = new Set(packages.map((pkg) => pkg.name))
  for (const pkg of packages) {
    const target = path.join(modules, pkg.name)
    fs.mkdirSync(target, { recursive: true })
    execFileSync("tar", ["-xzf", pkg.tarball, "-C", target, "--strip-components=1"])
  }
  for (const pkg of packages) {
    const manifest = JSON.parse(fs.readFileSync(path.join(modules, pkg.name, "package.json"), "utf8"))
    // Peers too: an app brings them, and here the workspace's copies stand for the app's.
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      const link = path.join(modules, dependency)
      if (packedNames.has(dependency) || fs.existsSync(link)) continue
      fs.mkdirSync(path.dirname(link), { recursive: true })
      fs.symlinkSync(fs.realpathSync(path.join(pkg.dir, "node_modules", dependency)), link, "dir")
    }
  }
}

/**
 * Imports the packed entry of `pkg` from `consumer` (see {@link install}) and, when it exports a `source`,
 * says what is wrong with its `connector`; `undefined` when it is the package's `name@version` or there is
 * no source.
 */
export const connectorProblem = async (consumer: string, pkg: Packed): Promise<string | undefined> => {
  const entry = createRequire(path.join(consumer, "package.json")).resolve(pkg.name)
  const loaded: { readonly source?: { readonly connector?: unknown } } = await import(pathToFileURL(entry).href)
  if (loaded.source === undefined) return undefined
  const expected = `${pkg.name}@${pkg.version}`
  return loaded.source.connector === expected
    ? undefined
    : `source.connector is ${JSON.stringify(loaded.source.connector)}, not ${expected}`
}
