/**
 * What a packed package asks of the app that installs it: each package its JavaScript imports must be
 * declared, and the effect packages (`effect`, `@effect/*`) as peers, each with a caret range from the
 * release the workspace is built and tested with: an app has one copy of each, and the oldest release the
 * range admits is the one the tests prove.
 */
import { isBuiltin } from "node:module"

/** The dependency sections of a package.json, and its `bin`. */
export interface Manifest {
  readonly name: string
  readonly bin?: unknown
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
}

const bareImport = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)"([^"./][^"]*)"/gm

/** The packages a JavaScript file imports by name (Node's built-ins left out, `fs` as `node:fs`), each once. */
export const importedPackages = (javascript: string): ReadonlyArray<string> => {
  const names = new Set<string>()
  for (const [, specifier] of javascript.matchAll(bareImport)) {
    if (specifier === undefined || isBuiltin(specifier)) continue
    const parts = specifier.split("/")
    names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!)
  }
  return [...names]
}

const isEffect = (name: string) => name === "effect" || name.startsWith("@effect/")

/**
 * What is wrong with the dependencies `manifest` declares for the packages its JavaScript imports, given
 * the version of each that the workspace resolves (`undefined` when it resolves none). An application (a
 * package with a `bin`, the CLI) is the app: it may pin the effect packages it runs with.
 */
export const dependencyProblems = (
  manifest: Manifest,
  imported: ReadonlyArray<string>,
  workspaceVersion: (name: string) => string | undefined
): ReadonlyArray<string> =>
  imported.flatMap((name): ReadonlyArray<string> => {
    if (name === manifest.name) return []
    const peer = manifest.peerDependencies?.[name]
    const dependency = manifest.dependencies?.[name]
    if (!isEffect(name) || manifest.bin !== undefined)
      return peer === undefined && dependency === undefined ? [`imports ${name}, not declared`] : []
    if (peer === undefined) return [`imports ${name}, not a peer dependency`]
    if (dependency !== undefined) return [`${name} is both a dependency and a peer`]
    const version = workspaceVersion(name)
    if (version === undefined) return [`${name}: the workspace has no copy to check the range ${peer} against`]
    return peer === `^${version}`
      ? []
      : [`${name}: the peer range ${peer} is not ^${version}, from the release the workspace is tested with`]
  })
