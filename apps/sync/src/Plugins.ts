/**
 * Connectors as plugins: a source named by a built-in id, by an installed package (`@acme/electfeed-georgia`),
 * or by the id of a connector package in the surrounding pnpm workspace (what `new-connector` writes, so
 * `electfeed read <id>` reads it with no change to this app).
 *
 * A package is looked for from the given folders (the config file's, the current directory's) and then
 * from this app's own, as Node resolves an import there; it must export a `source` (or a default export)
 * made with `@electfeed/core`'s `Source.define` by a core of this app's major version.
 *
 * @since 0.2.0
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Source } from "@electfeed/core"
import { Effect, Option, Schema, Stream } from "effect"
import { Yaml } from "effect/encoding"
import { builtin, type Installed } from "./Sources.ts"

/**
 * A named source cannot be used: not installed, not a source, or made for another major of core.
 *
 * @since 0.2.0
 * @category errors
 */
export class PluginError extends Schema.TaggedError<PluginError>()("PluginError", {
  /** The id or package name asked for. */
  name: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.name} ${this.detail}`
  }
}

const isPackageName = (name: string) => /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name)

/** The file `specifier` resolves to from `folder`, as an import there would find it. */
const resolveFrom = (folder: string, specifier: string): Option.Option<string> => {
  try {
    return Option.some(createRequire(path.join(folder, "noop.js")).resolve(specifier))
  } catch {
    return Option.none()
  }
}

/** The folders of the pnpm workspace around `folder` that its `pnpm-workspace.yaml` lists as packages. */
const workspacePackages = (folder: string): ReadonlyArray<string> => {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "pnpm-workspace.yaml")
    if (fs.existsSync(manifest)) {
      const parsed = Option.getOrUndefined(Option.liftThrowable(Yaml.parse)(fs.readFileSync(manifest, "utf8")))
      const globs = (parsed as { readonly packages?: unknown } | undefined)?.packages
      if (!Array.isArray(globs)) return []
      return globs
        .filter((glob): glob is string => typeof glob === "string" && !glob.startsWith("!"))
        .flatMap((glob) => {
          if (!glob.endsWith("/*")) return [path.join(dir, glob)]
          const parent = path.join(dir, glob.slice(0, -2))
          return fs.existsSync(parent)
            ? fs
                .readdirSync(parent, { withFileTypes: true })
                .filter((entry) => entry.isDirectory())
                .map((entry) => path.join(parent, entry.name))
            : []
        })
    }
    if (path.dirname(dir) === dir) return []
  }
}

/** The entry of the workspace package named `name` (or `@scope/name`, for an id), around one of `folders`. */
const inWorkspace = (name: string, folders: ReadonlyArray<string>): Option.Option<string> => {
  const named = (candidate: string) => candidate === name || (!name.includes("/") && candidate.endsWith(`/${name}`))
  for (const folder of folders) {
    for (const dir of workspacePackages(folder)) {
      const manifest = path.join(dir, "package.json")
      if (!fs.existsSync(manifest)) continue
      const found = Option.getOrUndefined(
        Option.liftThrowable(() => (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown }).name)()
      )
      if (typeof found !== "string" || !named(found)) continue
      const entry = resolveFrom(dir, found)
      if (Option.isSome(entry)) return entry
    }
  }
  return Option.none()
}

const isSourceShaped = (u: unknown): u is Source.Any => {
  if (typeof u !== "object" || u === null) return false
  const s = u as Record<string, unknown>
  return (
    typeof s["id"] === "string" &&
    typeof s["connector"] === "string" &&
    typeof s["read"] === "function" &&
    typeof s["catalog"] === "function" &&
    typeof s["check"] === "function" &&
    Schema.isSchema(s["configSchema"])
  )
}

/** The source a module exports, checked; `name` is what was asked for, for the messages. */
const sourceOf = (name: string, module: Record<string, unknown>): Effect.Effect<Source.Any, PluginError> => {
  const exported = module["source"] ?? module["default"]
  if (!isSourceShaped(exported)) {
    return Effect.fail(
      new PluginError({
        name,
        detail: "is not an electfeed source: it exports no `source` made with Source.define of @electfeed/core"
      })
    )
  }
  if (!Source.isCompatibleCore(exported.core)) {
    const made = typeof exported.core === "string" ? `@electfeed/core ${exported.core}` : "an older @electfeed/core"
    return Effect.fail(
      new PluginError({
        name,
        detail: `was made with ${made}; this electfeed runs @electfeed/core ${Source.coreVersion}: install a release of it built for this one`
      })
    )
  }
  return Effect.succeed(exported)
}

/** The package of a source: its `connector` without the version. */
const packageOf = (source: Source.Any) => source.connector.slice(0, source.connector.lastIndexOf("@"))

const load = Effect.fn("Plugins.load")(function* (name: string, entry: string) {
  const module = yield* Effect.tryPromise({
    try: () => import(pathToFileURL(entry).href) as Promise<Record<string, unknown>>,
    catch: (cause) =>
      new PluginError({
        name,
        detail: `cannot be loaded: ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`
      })
  })
  const source = yield* sourceOf(name, module)
  return { source, packageName: packageOf(source), entry } satisfies Installed
})

/**
 * The source `name` names: a built-in id, an installed package looked for from `folders` and then from
 * this app, or a connector package of the pnpm workspace around `folders` (named `name` or
 * `@scope/name`).
 *
 * @since 0.2.0
 * @category loading
 */
export const resolve = Effect.fn("Plugins.resolve")(function* (
  name: string,
  folders: ReadonlyArray<string>
): Effect.fn.Return<Installed, PluginError> {
  const known = builtin.find((installed) => installed.source.id === name)
  if (known !== undefined) return known
  if (!isPackageName(name)) {
    return yield* new PluginError({
      name,
      detail: `is neither a built-in source (${builtin.map((b) => b.source.id).join(", ")}) nor a package name`
    })
  }
  const from = [...folders, import.meta.dirname]
  const entry = Option.orElse(Option.firstSomeOf(from.map((folder) => resolveFrom(folder, name))), () =>
    inWorkspace(name, folders)
  )
  if (Option.isNone(entry)) {
    return yield* new PluginError({
      name,
      detail: `is not installed: not a built-in source (${builtin.map((b) => b.source.id).join(", ")}), not a package found from ${[...new Set(folders)].join(" or ")}, nor a connector of the workspace there (npm install ${name} installs it)`
    })
  }
  return yield* load(name, entry.value)
})

/**
 * The source under another id, its events too: several instances of one connector in a config
 * (`clarity-ga: { use: clarity }`), each stored, checkpointed, reported and emitted as its own source.
 *
 * @since 0.2.0
 * @category loading
 */
export const renamed = (source: Source.Any, id: string): Source.Any =>
  source.id === id
    ? source
    : {
        ...source,
        id,
        read: (config, options) =>
          Stream.map(source.read(config, options), (item) =>
            item._tag === "Event" ? { ...item, event: { ...item.event, source: id } } : item
          )
      }

/**
 * The file of a source's simulator: its package's `testing` entry (which must not need a test runner),
 * resolved from the package.
 *
 * @since 0.2.0
 * @category simulators
 */
export const simulatorEntry = (installed: Installed): Option.Option<string> =>
  resolveFrom(path.dirname(installed.entry), `${installed.packageName}/testing`)
