/**
 * Gives plugins the bundle's own copy of effect, `@effect/platform-node` and `@electfeed/core`.
 *
 * The bundle (`scripts/bundle.ts`) holds those packages, and its entry `shared.js` exports one namespace
 * per public specifier (`"effect/Schema"`, ...); `shared.json` beside it lists each namespace's names and
 * the packages' versions. When a plugin, or a package that a plugin imports, imports one of those
 * specifiers, it gets a small module that re-exports that namespace's values: the same classes and
 * schemas as the app's, without which a plugin's config schema does not decode ("Missing key").
 *
 * As a peer dependency is: when the package would resolve from the importer to a version that the
 * bundle's does not stand for under semver's caret rule (another major, or below 1.0.0 another minor),
 * the importer gets its own, so that a connector made with another major of core still says so
 * (`Plugins.ts` rejects it). Any other specifier, among them one that the bundle's packages do not have
 * (a module that a later effect added), resolves as usual, from node_modules.
 *
 * @internal
 */
import * as fs from "node:fs"
import * as Module from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** `shared.json`: which module re-exports which names, and the version of each package. */
interface Manifest {
  readonly versions: Readonly<Record<string, string>>
  readonly modules: Readonly<Record<string, ReadonlyArray<string>>>
}

/**
 * The packages that the bundle shares.
 *
 * @internal
 */
export const packages: ReadonlyArray<string> = ["effect", "@effect/platform-node", "@electfeed/core"]

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/")

const isCandidate = (specifier: string) => packages.includes(packageOf(specifier))

/** Whether a package at `version` can stand for one at `wanted`: semver's caret rule. */
const compatible = (version: string, wanted: string) => {
  const [major, minor] = version.split(".")
  const [wantedMajor, wantedMinor] = wanted.split(".")
  return major === wantedMajor && (major !== "0" || minor === wantedMinor)
}

/** The `name` and `version` of each `package.json` read, by its path (or `undefined` where there is none). */
const manifests = new Map<string, { readonly name?: unknown; readonly version?: unknown } | undefined>()

const manifestAt = (dir: string) => {
  const file = path.join(dir, "package.json")
  if (!manifests.has(file)) {
    manifests.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined)
  }
  return manifests.get(file)
}

/**
 * The version of the package `name` that `file` belongs to, from the nearest `package.json` naming it.
 * A plugin's imports ask this for the same folders again and again: each `package.json` is read once.
 */
const versionAt = (name: string, file: string): string | undefined => {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = manifestAt(dir)
    if (manifest?.name === name) return typeof manifest.version === "string" ? manifest.version : undefined
  }
  return undefined
}

/** The source of the module that stands for `specifier`: its names, taken from the shared entry. */
const reexporting = (entry: string, specifier: string, names: ReadonlyArray<string>) =>
  [
    `import { ${JSON.stringify(specifier)} as ns } from ${JSON.stringify(entry)};`,
    // Names such as `void` are no identifiers, so each value is exported by a string name.
    ...names.map((name, i) => `const _${i} = ns[${JSON.stringify(name)}];`),
    `export { ${names.map((name, i) => `_${i} as ${JSON.stringify(name)}`).join(", ")} };`
  ].join("\n")

/**
 * Resolves the specifiers that the shared entry at `entry` (a file URL, its manifest beside it with the
 * extension `.json`) has to it, from any module loaded from now on, where the package would otherwise
 * resolve to a compatible version or not at all.
 *
 * @internal
 */
export const share = (entry: URL): void => {
  // Paths that exist only here, one per specifier, so that `require.resolve` (which these hooks answer
  // too) gives each a path of its own, which an import of it then finds here again.
  const folder = new URL("./shared/", entry).href
  let manifest: Manifest | undefined
  const read = () =>
    (manifest ??= JSON.parse(fs.readFileSync(new URL(entry.href.replace(/\.js$/, ".json")), "utf8")) as Manifest)
  /** Whether the package that `url` (what `specifier` resolves to without this hook) is of is compatible. */
  const standsFor = (specifier: string, url: string) => {
    if (!url.startsWith("file:")) return true
    const name = packageOf(specifier)
    const version = versionAt(name, fileURLToPath(url))
    return version === undefined || compatible(version, read().versions[name]!)
  }
  Module.registerHooks({
    resolve: (specifier, context, nextResolve) => {
      if (specifier.startsWith(folder)) return { url: specifier, format: "module", shortCircuit: true }
      if (!isCandidate(specifier) || !Object.hasOwn(read().modules, specifier)) return nextResolve(specifier, context)
      const own = (() => {
        try {
          return nextResolve(specifier, context)
        } catch {
          // Not installed where it is imported: the app's copy is the one there is.
          return undefined
        }
      })()
      return own === undefined || standsFor(specifier, own.url)
        ? { url: `${folder}${specifier}.js`, format: "module", shortCircuit: true }
        : own
    },
    load: (url, context, nextLoad) => {
      const specifier = url.startsWith(folder) ? url.slice(folder.length, -".js".length) : undefined
      const names = specifier === undefined ? undefined : read().modules[specifier]
      return names === undefined
        ? nextLoad(url, context)
        : { format: "module", source: reexporting(entry.href, specifier!, names), shortCircuit: true }
    }
  })
}
