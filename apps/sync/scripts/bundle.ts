/**
 * Bundles the `electfeed` executable into `dist/bin/` (run by `build`, after tsc): `electfeed.js`, the
 * chunks that it and its commands import, `shared.js` with its manifest `shared.json`, and
 * `externals.json`, what the bundle imports from outside it.
 *
 * The app, its built-in connectors, effect, `@effect/platform-node` and `@electfeed/core` become a few files
 * instead of hundreds of modules, each resolved and read on its own (core's type-stripped from its sources).
 * A connector package loaded as a plugin imports effect and core too, and must get the app's copy (a
 * plugin's config schema, made by another copy of effect, does not decode: "Missing key"): the entry
 * `shared.js` exports a namespace of every public module of those packages (`shareable.ts`), and
 * `electfeed.js` resolves a plugin's imports of them to it (`src/internal/sharedModules.ts`). The two
 * entries are split: what only plugins can need is in chunks that only `shared.js` imports, loaded with
 * the first plugin, and the commands start with what they use.
 *
 * `node scripts/bundle.ts [folder]`: into `folder` instead (relative to the package), which must be inside
 * the package, for what stays outside to be found from there.
 */
import * as fs from "node:fs"
import { createRequire, isBuiltin } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import * as esbuild from "esbuild"
import { packages } from "../src/internal/sharedModules.ts"
import { directImports } from "./directImports.ts"
import { shareable, versionOf } from "./shareable.ts"

const root = path.resolve(import.meta.dirname, "..")
const outdir = path.resolve(root, process.argv[2] ?? "dist/bin")
const specifiers = shareable(root)

/** The entry `shared`: a namespace of each shareable module, under its specifier. */
const sharedEntry: esbuild.Plugin = {
  name: "electfeed-shared",
  setup(build) {
    build.onResolve({ filter: /^electfeed-shared$/ }, () => ({ path: "shared", namespace: "electfeed-shared" }))
    build.onLoad({ filter: /.*/, namespace: "electfeed-shared" }, () => ({
      contents: specifiers.map((s) => `export * as ${JSON.stringify(s)} from ${JSON.stringify(s)}`).join("\n"),
      resolveDir: root,
      loader: "js"
    }))
  }
}

/**
 * platform-node's `Undici` module re-exports CommonJS undici with `export *`, which esbuild cannot follow
 * into a chunk (`NodeHttpClient` finds no `Agent` on it): its names are listed here instead.
 */
const undiciNames: esbuild.Plugin = {
  name: "undici-names",
  setup(build) {
    build.onLoad({ filter: /[\\/]@effect[\\/]platform-node[\\/]dist[\\/]Undici\.js$/ }, (args) => {
      const names = Object.keys(createRequire(args.path)("undici") as object).filter((name) => name !== "default")
      return {
        contents: [
          'import Undici from "undici"',
          "export default Undici",
          ...names.map((name, i) => `const _${i} = Undici[${JSON.stringify(name)}]`),
          `export { ${names.map((name, i) => `_${i} as ${JSON.stringify(name)}`).join(", ")} }`
        ].join("\n"),
        loader: "js"
      }
    })
  }
}

/**
 * Node's own modules, imported by ESM, through `require`: an ESM import of one builds its ESM facade, which
 * reads every export, and so loads what Node keeps lazy (`node:http` loads Node's internal undici for its
 * `WebSocket`, `node:fs` its streams), some 5% of `--help`'s start-up. esbuild reads a CommonJS module's
 * exports only when they are used.
 */
const builtinsRequired: esbuild.Plugin = {
  name: "builtins-required",
  setup(build) {
    build.onResolve({ filter: /^[a-z]/ }, (args) =>
      args.kind === "import-statement" && isBuiltin(args.path)
        ? { path: args.path, namespace: "builtin-required" }
        : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "builtin-required" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)})`,
      loader: "js"
    }))
  }
}

// Chunks are named by their content: the last build's would stay beside this one's.
fs.rmSync(outdir, { recursive: true, force: true })
const built = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { electfeed: "src/bin.ts", shared: "electfeed-shared" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22.19",
  define: { ELECTFEED_SHARED: JSON.stringify("./shared.js") },
  plugins: [directImports(root, specifiers), sharedEntry, undiciNames, builtinsRequired],
  // For a bundled CommonJS dependency that `require`s Node's own modules.
  banner: {
    js: 'import { createRequire as __electfeedCreateRequire } from "node:module"; const require = __electfeedCreateRequire(import.meta.url);'
  },
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  logLevel: "warning"
})

// The names of each namespace, for the modules that stand for them (the bundle's own, so they match), and
// the version of each package, for what a plugin's own copy must be compatible with to be given these.
const shared = (await import(pathToFileURL(path.join(outdir, "shared.js")).href)) as Record<string, object>
const manifest = {
  versions: Object.fromEntries(packages.map((name) => [name, versionOf(root, name)])),
  modules: Object.fromEntries(specifiers.map((s) => [s, Object.keys(shared[s]!)]))
}
fs.writeFileSync(path.join(outdir, "shared.json"), JSON.stringify(manifest))

// What each file of the bundle imports from outside it, by esbuild's account, with the bundled module that
// imports it: publish-check checks these, not what the bundled code's text seems to import. What esbuild
// leaves outside is a package that a bundled one imports only if it is installed (ws's `bufferutil`).
const { inputs, outputs } = built.metafile
const externals = Object.fromEntries(
  Object.entries(outputs).map(([file, output]) => [
    path.relative(outdir, path.resolve(root, file)),
    Object.keys(output.inputs).flatMap((importer) =>
      (inputs[importer]?.imports ?? [])
        .filter((imported) => imported.external === true && !isBuiltin(imported.path))
        .map((imported) => ({ path: imported.path, importer }))
    )
  ])
)
fs.writeFileSync(path.join(outdir, "externals.json"), JSON.stringify(externals))
