/**
 * An esbuild plugin for `bundle.ts`: the workspace's own sources import each module of a barrel (`import
 * { Effect, Schema } from "effect"`) from its file, as `import * as Effect from ".../effect/dist/Effect.js"`.
 *
 * With code splitting, esbuild puts a file in the chunks of every entry that reaches a file importing it,
 * used or not, once any entry uses it; the shared entry uses every module of effect, so a barrel that the
 * executable imports would bring every module it lists into the executable's chunks (a third more code to
 * load at start-up). Only barrels that are pure re-exports are read (`export * as X from "./X.js"`,
 * `export { a, b } from "./F.js"`); a name they do not list is left to the barrel.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import type * as esbuild from "esbuild"

/** Where each name of a barrel comes from: a module's namespace, or a name that a module exports. */
type Origin = { readonly file: string; readonly name?: string }

const barrelOf = (file: string): ReadonlyMap<string, Origin> | undefined => {
  const source = fs
    .readFileSync(file, "utf8")
    .replaceAll(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")
    .trim()
  const origins = new Map<string, Origin>()
  const statement = /\s*export\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\})\s+from\s+"(\.[^"]+)"\s*;?/y
  let end = 0
  for (let match = statement.exec(source); match !== null; match = statement.exec(source)) {
    const [, namespace, names, relative] = match
    const target = path.resolve(path.dirname(file), relative!)
    if (namespace !== undefined) origins.set(namespace, { file: target })
    for (const name of names?.split(",").map((n) => n.trim()) ?? []) {
      if (/^\w+$/.test(name)) origins.set(name, { file: target, name })
    }
    end = statement.lastIndex
  }
  // Anything else in the file (a statement of its own) and it is no barrel to take apart.
  return end === source.length && origins.size > 0 ? origins : undefined
}

/**
 * The plugin, for the barrels among `specifiers` as the package at `root` resolves them, applied to the
 * TypeScript files outside node_modules.
 */
export const directImports = (root: string, specifiers: ReadonlyArray<string>): esbuild.Plugin => {
  const require = createRequire(path.join(root, "package.json"))
  const barrels = new Map<string, ReadonlyMap<string, Origin>>()
  for (const specifier of specifiers) {
    const origins = barrelOf(require.resolve(specifier))
    if (origins !== undefined) barrels.set(specifier, origins)
  }
  const rewrite = (members: string, specifier: string, origins: ReadonlyMap<string, Origin>) => {
    const left: Array<string> = []
    const direct = members
      .split(",")
      .map((member) => member.trim())
      .filter((member) => member !== "" && !member.startsWith("type "))
      .flatMap((member) => {
        const [name, local = name] = member.split(/\s+as\s+/) as [string, string?]
        const origin = origins.get(name)
        if (origin === undefined) {
          left.push(member)
          return []
        }
        const from = JSON.stringify(origin.file)
        return [
          origin.name === undefined
            ? `import * as ${local} from ${from};`
            : `import { ${origin.name} as ${local} } from ${from};`
        ]
      })
    return [
      ...direct,
      ...(left.length > 0 ? [`import { ${left.join(", ")} } from ${JSON.stringify(specifier)};`] : [])
    ].join(" ")
  }
  return {
    name: "direct-imports",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
        const source = fs.readFileSync(args.path, "utf8")
        const contents = source.replaceAll(
          /\bimport\s+\{([^}]*)\}\s*from\s*"([^"]+)";?/g,
          (statement, members: string, specifier: string) => {
            const origins = barrels.get(specifier)
            return origins === undefined ? statement : rewrite(members, specifier, origins)
          }
        )
        return { contents, loader: "ts", resolveDir: path.dirname(args.path) }
      })
    }
  }
}
