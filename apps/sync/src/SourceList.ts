/**
 * `electfeed sources`: the built-in sources and those a config file uses, each with its streams and
 * config keys, from what the source says of itself.
 *
 * @since 0.2.0
 */
import * as path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { RateLimit, type Source } from "@electfeed/core"
import { Effect, Layer, Option, Schema } from "effect"
import * as AppConfig from "./AppConfig.ts"
import * as ConfigKeys from "./ConfigKeys.ts"
import { cadence } from "./Output.ts"
import * as Plugins from "./Plugins.ts"
import { builtin, type Installed } from "./Sources.ts"

/** The config a source has with no settings at all, if it can have one (no required settings). */
const defaultsOf = (source: Source.Any): Option.Option<unknown> =>
  Schema.decodeUnknownOption(source.configSchema as Schema.Decoder<unknown>)({})

type Dispatcher = NodeHttpClient.Dispatcher["Service"]

/**
 * Undici's dispatcher, loaded and made at the first request: the built-in catalogs need none (ca-sos's
 * makes its HTTP clients, and sends nothing), and undici is most of what `sources` would load.
 */
const dispatcherOnRequest = Layer.effect(NodeHttpClient.Dispatcher)(
  Effect.gen(function* () {
    let agent: Promise<Dispatcher> | undefined
    // An agent that could not be made has nothing to destroy; its requests were told why.
    yield* Effect.addFinalizer(() =>
      Effect.promise(() => (agent?.then((made) => made.destroy()) ?? Promise.resolve()).catch(() => {}))
    )
    const dispatch: Dispatcher["dispatch"] = (options, handler) => {
      agent ??= import("@effect/platform-node/Undici").then((Undici) => new Undici.Agent())
      agent.then(
        (made) => made.dispatch(options, handler),
        (cause: unknown) =>
          handler.onResponseError?.(null as never, cause instanceof Error ? cause : new Error(String(cause)))
      )
      return true
    }
    return { dispatch } as Dispatcher
  })
)

/** What a catalog runs on: `Source.layer`'s services, with undici loaded only for a request. */
const catalogServices = Layer.mergeAll(dispatcherOnRequest, RateLimit.layerMemory, NodeFileSystem.layer)

/**
 * The lines that describe `installed`, its streams listed when its catalog needs no settings and no
 * request (otherwise the API lists them at run time).
 *
 * @since 0.2.0
 * @category listing
 */
export const describe = Effect.fn("SourceList.describe")(function* (installed: Installed, name: string) {
  const { source } = installed
  const catalog = yield* Option.match(defaultsOf(source), {
    onNone: () => Effect.succeedNone,
    onSome: (config) =>
      source.catalog(config).pipe(Effect.provide(catalogServices), Effect.timeout("5 seconds"), Effect.option)
  })
  const keys = ConfigKeys.of(source)
  const secrets = Object.values(source.secrets)
  return [
    `${name}  (${source.connector}${name === source.id ? "" : `, source ${source.id}`})`,
    `  ${source.description}`,
    `  polled every ${cadence(source.every)} by default${secrets.length > 0 ? `; secrets from ${secrets.join(", ")}` : ""}`,
    ...(Option.isSome(catalog)
      ? catalog.value.map((s) => `  stream ${s.name}: ${s.kind}, ${s.mode}, keyed by ${s.key}. ${s.description}`)
      : ["  streams: listed by the API at run time, for a given config"]),
    `  config keys: ${keys.map((key) => `${key.name}${source.secrets[key.name] !== undefined ? " (secret)" : key.required ? " (required)" : ""}`).join(", ") || "none"}; see \`electfeed read ${name === source.id ? source.id : installed.packageName} --help\``
  ]
})

/**
 * The sources a config document uses beyond the built-in ones, by entry name: each entry with a `use`,
 * or named for no built-in source. A document that is not a config lists none (`sync` says why).
 *
 * @since 0.2.0
 * @category listing
 */
export const configured = Effect.fn("SourceList.configured")(function* (file: string) {
  const document = yield* AppConfig.readDocument(file)
  const sections =
    typeof document === "object" && document !== null && "sources" in document ? document.sources : undefined
  if (typeof sections !== "object" || sections === null) return []
  const folder = path.dirname(path.resolve(file))
  const plugins = Object.entries(sections as Record<string, unknown>).flatMap(([name, section]) => {
    const use = typeof section === "object" && section !== null && "use" in section ? section.use : undefined
    const named = typeof use === "string" ? use : name
    return typeof use === "string" || !builtin.some((b) => b.source.id === name) ? [{ name, named }] : []
  })
  return yield* Effect.forEach(plugins, ({ name, named }) =>
    Effect.map(Plugins.resolve(named, [folder, process.cwd()]), (installed) => ({ name, installed }))
  )
})
