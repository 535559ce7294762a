/**
 * Sources declared rather than programmed: a source is its id, package, config schema, HTTP settings and a
 * record of streams, each built by a stream constructor ({@link snapshot}, {@link bulk}). Core owns the
 * rest: clients, stream selection, requests, conditional GETs, downloads, decoding, the envelope,
 * provenance, keys and checkpoints. Re-exported through `Source`.
 *
 * @since 0.2.0
 */
import { Duration, Effect, type Redacted, type Schema, Stream } from "effect"
import type { EntityKind } from "./Feed.ts"
import * as Http from "./Http.ts"
import { coreVersion } from "./internal/coreVersion.ts"
import type { RateLimitPolicy } from "./RateLimit.ts"
import * as Retry from "./Retry.ts"
import type * as Source from "./Source.ts"
import { selectStreams } from "./Source.ts"
import type { SourceError } from "./SourceError.ts"

/**
 * The HTTP settings of a source, from its config.
 *
 * @since 0.2.0
 * @category models
 */
export interface HttpSettings {
  /** Where relative requests go. */
  readonly baseUrl: string
  /** Sent with every API request, never to a file host; `Redacted` values are kept out of errors. */
  readonly headers?: Readonly<Record<string, string | Redacted.Redacted<string>>> | undefined
  /** Default: core's (2 per second). */
  readonly rateLimit?: RateLimitPolicy | undefined
  /** Overrides of core's retry policy. */
  readonly retry?: Partial<Retry.RetryPolicy> | undefined
}

/**
 * What a stream is given to read: the config, its name, and the source's clients.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamContext<Config> {
  readonly source: string
  readonly stream: string
  readonly config: Config
  /** The API client: the base URL and the headers of {@link HttpSettings}. */
  readonly client: Http.Client
  /** The client for files behind links on another host: no headers, so no API key goes there. */
  readonly files: Http.Client
  readonly retry: Retry.RetryPolicy
}

/**
 * One stream of a defined source, as a stream constructor builds it.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamDefinition<Config> {
  readonly mode: Source.StreamSpec["mode"]
  readonly kind: EntityKind
  /** How an event's `key` is formed, for people. */
  readonly key: string
  readonly description: string
  /** Whether the stream can be read with this config: its first request. */
  readonly check: (context: StreamContext<Config>) => Effect.Effect<void, SourceError, Source.Services>
  readonly read: (
    context: StreamContext<Config>,
    checkpoint: Schema.Json | undefined
  ) => Stream.Stream<Source.ReadItem, SourceError, Source.Services>
}

/**
 * A command-line flag for one config key, so a reader types `--endpoint /returns/governor` rather than
 * a config document: `{ name: "endpoint", key: "endpoints", metavar: "PATH", description: "…" }`.
 *
 * @since 0.2.0
 * @category models
 */
export interface CliFlag<Key extends string = string> {
  /** The flag without its dashes: `endpoint` for `--endpoint`. */
  readonly name: string
  /** The config key the flag sets. */
  readonly key: Key
  /** What the value is, in help: `PATH`, `ID`. Default `VALUE`. */
  readonly metavar?: string | undefined
  readonly description: string
  /** Whether the flag may be given several times, each value one item of the key's list. Default: whether the key holds a list. */
  readonly repeatable?: boolean | undefined
}

type Keys<Encoded> = Extract<keyof Encoded, string>

/**
 * A source, declared.
 *
 * @since 0.2.0
 * @category models
 */
export interface Definition<Config, Encoded> {
  /** `ca-sos`, `ballotpedia`, … */
  readonly id: string
  /**
   * The connector's package (its `package.json`, imported), for `connector` (`name@version`), provenance
   * and the user agent. A name or version that is missing or malformed throws when the source is defined.
   */
  readonly package: { readonly name: string; readonly version: string }
  /** One or two sentences for people: what the API is and what the source reads of it. */
  readonly description: string
  /** Decodes the config; core adds nothing to it. */
  readonly config: Schema.Codec<Config, Encoded>
  /** How often an app polls the source when its config says nothing. Default 60 seconds. */
  readonly every?: Duration.Input | undefined
  /**
   * Config keys that hold secrets, each with the environment variable an app reads it from, e.g.
   * `{ apiKey: "BALLOTPEDIA_API_KEY" }`: an app never takes them from a file or a flag. Default none.
   */
  readonly secrets?: Readonly<Partial<Record<NoInfer<Keys<Encoded>>, string>>> | undefined
  /** Command-line flags for config keys, for ad-hoc reads. Default none. */
  readonly flags?: ReadonlyArray<CliFlag<NoInfer<Keys<Encoded>>>> | undefined
  readonly http: (config: Config) => HttpSettings
  /**
   * The streams by name; or, for a source whose streams the API lists (one per dataset, say), an effect
   * that asks it, given the config and the API client.
   */
  readonly streams: Streams<NoInfer<Config>> | ((context: StreamsContext<NoInfer<Config>>) => StreamsEffect<Config>)
}

/**
 * The streams of a defined source, by name.
 *
 * @since 0.2.0
 * @category models
 */
export type Streams<Config> = Readonly<Record<string, StreamDefinition<Config>>>

/**
 * What a source whose API lists its streams is given to list them.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamsContext<Config> {
  readonly config: Config
  readonly client: Http.Client
}

type StreamsEffect<Config> = Effect.Effect<Streams<NoInfer<Config>>, SourceError, Source.Services>

const clients = Effect.fnUntraced(function* <Config>(
  definition: Pick<Definition<Config, unknown>, "id" | "http">,
  connector: string,
  config: Config
) {
  const settings = definition.http(config)
  const common = {
    source: definition.id,
    connector,
    baseUrl: settings.baseUrl,
    rateLimit: settings.rateLimit,
    retry: Retry.policy(settings.retry)
  }
  const client = yield* Http.makeClient({ ...common, headers: settings.headers })
  const files = yield* Http.makeClient(common)
  return { client, files, retry: common.retry }
})

const catalogOf = <Config>(streams: Streams<Config>): Source.Catalog =>
  Object.entries(streams).map(([name, stream]) => ({
    name,
    kind: stream.kind,
    key: stream.key,
    mode: stream.mode,
    description: stream.description
  }))

/**
 * Makes a `Source` of a definition: the catalog from its streams, `check` by the first request of each
 * stream, and `read` with stream selection (an unknown stream is a `ConfigError`), each stream going on
 * from its checkpoint.
 *
 * @since 0.2.0
 * @category constructors
 */
export const define = <Config, Encoded>(definition: Definition<Config, Encoded>): Source.Source<Config, Encoded> => {
  const id = definition.id
  const connector = Http.connectorOf(definition.package)
  const declared = definition.streams
  const resolve = (config: Config) =>
    Effect.gen(function* () {
      const shared = yield* clients(definition, connector, config)
      const streams = typeof declared === "function" ? yield* declared({ config, client: shared.client }) : declared
      const context = (stream: string): StreamContext<Config> => ({ source: id, stream, config, ...shared })
      return { streams, context, catalog: catalogOf(streams) }
    })
  const selected = (config: Config, options: Source.ReadOptions | undefined) =>
    Effect.gen(function* () {
      const { streams, context, catalog } = yield* resolve(config)
      const specs = yield* selectStreams(id, catalog, options)
      return specs.map((spec) => ({ name: spec.name, stream: streams[spec.name]!, context: context(spec.name) }))
    })
  return {
    id,
    connector,
    description: definition.description,
    configSchema: definition.config,
    every: Duration.fromInputUnsafe(definition.every ?? "60 seconds"),
    // Only the keys given are present, each with its variable.
    secrets: (definition.secrets ?? {}) as Readonly<Record<string, string>>,
    flags: definition.flags ?? [],
    core: coreVersion,
    catalog: (config) =>
      typeof declared === "function"
        ? Effect.map(resolve(config), ({ catalog }) => catalog)
        : Effect.succeed(catalogOf(declared)),
    check: (config) =>
      Effect.flatMap(selected(config, undefined), (streams) =>
        Effect.forEach(streams, ({ stream, context }) => stream.check(context), { discard: true })
      ),
    read: (config, options) =>
      Stream.unwrap(
        Effect.map(selected(config, options), (streams) =>
          Stream.fromIterable(streams).pipe(
            Stream.flatMap(({ name, stream, context }) => stream.read(context, options?.checkpoints?.[name]))
          )
        )
      )
  }
}
