/**
 * Bundles the `electfeed` executable into `dist/bin/` (run by `build`, after tsc): `electfeed.js` and the
 * chunks that some commands import when they run.
 *
 * The app's own modules and the built-in connectors become a few files instead of a hundred modules, each
 * resolved and read on its own (and type-stripped, from the sources). effect, its `@effect/*` packages
 * and `@electfeed/core` stay outside, loaded from node_modules: a connector package loaded as a plugin
 * imports them too, and must get the same copy (a plugin's config schema, made by another copy of
 * effect, does not decode: "Missing key"). Bundling them as well would start `--help` about twice as fast
 * again, once plugins are given the bundle's copy.
 *
 * `node scripts/bundle.ts [folder]`: into `folder` instead (relative to the package), which must be inside
 * the package, for what stays outside to be found from there.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as esbuild from "esbuild"

const root = path.resolve(import.meta.dirname, "..")
const outdir = path.resolve(root, process.argv[2] ?? "dist/bin")

// Chunks are named by their content: the last build's would stay beside this one's.
fs.rmSync(outdir, { recursive: true, force: true })
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { electfeed: "src/bin.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22.19",
  external: ["effect", "effect/*", "@effect/*", "@electfeed/core", "@electfeed/core/*"],
  // For a bundled CommonJS dependency that `require`s Node's own modules.
  banner: {
    js: 'import { createRequire as __electfeedCreateRequire } from "node:module"; const require = __electfeedCreateRequire(import.meta.url);'
  },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning"
})
