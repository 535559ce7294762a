/**
 * The specifiers that the bundle shares with plugins (see `bundle.ts`): every public module of effect, of
 * `@effect/platform-node` and of `@electfeed/core`, as their `exports` maps make them public, found from
 * the package at `root` as an import there would find them.
 *
 * Left out: a module with side effects (effect's `SchemaJITCompiler/enable` switches the JIT compiler on for
 * everyone), and core's test kit, which needs a test runner and starts workers from its own files.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { packages } from "../src/internal/sharedModules.ts"

const withheld = new Set(["@electfeed/core/testing", "@electfeed/core/testing/vitest"])

interface PackageJson {
  readonly version: string
  readonly exports: Record<string, Target>
  readonly sideEffects?: boolean | ReadonlyArray<string>
}

type Target = string | null | { readonly import?: Target; readonly default?: Target }

const targetOf = (target: Target | undefined): string | undefined =>
  typeof target === "string"
    ? target
    : target === null || target === undefined
      ? undefined
      : targetOf(target.import ?? target.default)

/** The files under `dir` (relative to it, with `/`), recursively. */
const filesUnder = (dir: string): ReadonlyArray<string> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => file.split(path.sep).join("/"))
    : []

/** The specifiers an `exports` key stands for: itself, or for a `*` pattern, one for each file it matches. */
const candidates = (name: string, dir: string, key: string, target: string): ReadonlyArray<string> => {
  if (!key.includes("*")) return [`${name}${key.slice(1)}`]
  const [prefix, suffix] = target.split("*") as [string, string]
  return filesUnder(path.join(dir, prefix))
    .filter((file) => file.endsWith(suffix))
    .map((file) => `${name}${key.slice(1).replace("*", file.slice(0, file.length - suffix.length))}`)
}

const manifestOf = (root: string, name: string) => {
  const file = createRequire(path.join(root, "package.json")).resolve(`${name}/package.json`)
  return { dir: path.dirname(file), manifest: JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson }
}

/** The version of the package `name` that the package at `root` depends on. */
export const versionOf = (root: string, name: string): string => manifestOf(root, name).manifest.version

/**
 * The shareable specifiers of the packages the app at `root` depends on, sorted.
 */
export const shareable = (root: string): ReadonlyArray<string> => {
  const require = createRequire(path.join(root, "package.json"))
  const found = new Set<string>()
  for (const name of packages) {
    const { dir, manifest } = manifestOf(root, name)
    const effectful = new Set(
      Array.isArray(manifest.sideEffects) ? manifest.sideEffects.map((file) => path.join(dir, file)) : []
    )
    for (const [key, value] of Object.entries(manifest.exports)) {
      const target = targetOf(value)
      if (target === undefined || key === "./package.json" || !/\.[cm]?[jt]s$/.test(target)) continue
      for (const specifier of candidates(name, dir, key, target)) {
        if (withheld.has(specifier)) continue
        // Whatever `exports` closes (`null`: internal modules, `index`) does not resolve.
        const file = (() => {
          try {
            return require.resolve(specifier)
          } catch {
            return undefined
          }
        })()
        if (file !== undefined && !effectful.has(file)) found.add(specifier)
      }
    }
  }
  return [...found].sort()
}
