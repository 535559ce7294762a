/**
 * The one interface every connector implements.
 *
 * A source has an id, a config schema (secrets as `Redacted`), a catalog of streams, a `check` that says
 * whether a config can be used, and a `read` that returns a `Stream` of feed events interleaved with
 * checkpoints. A checkpoint means: everything this stream emitted before it can be stored, and a read
 * given this checkpoint back continues after it. Everything a connector needs besides its API's
 * specifics (HTTP, retries, rate limits, errors, downloads, decoding) comes from core.
 *
 * Most sources are declared with {@link define} and its stream constructors {@link snapshot} and
 * {@link bulk}, which own the read protocol; {@link make} stays for sources whose reads fit neither.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Duration, Effect, type FileSystem, Layer, Schema, Stream } from "effect"
import type { Row, RowOutcome } from "./Decoding.ts"
import * as Define from "./Define.ts"
import { EntityKind, type FeedEvent } from "./Feed.ts"
import * as Http from "./Http.ts"
import * as Bulk from "./internal/bulk.ts"
import * as CoreVersion from "./internal/coreVersion.ts"
import * as Snapshot from "./internal/snapshot.ts"
import * as Versioned from "./internal/versioned.ts"
import { ConfigError, type DecodeError, type SourceError } from "./SourceError.ts"

/**
 * `snapshot`: a document polled again and again (results). `bulk`: a large file downloaded whole.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamMode = Schema.Literals(["snapshot", "bulk"])

/**
 * One stream of a source.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamSpec = Schema.Struct({
  name: Schema.String.check(Schema.isNonEmpty()),
  kind: EntityKind,
  /** How an event's `key` is formed, for people. */
  key: Schema.String,
  mode: StreamMode,
  description: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type StreamSpec = typeof StreamSpec.Type

/**
 * The streams of a source; names are unique.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Catalog = Schema.Array(StreamSpec).check(
  Schema.makeFilter(
    (streams) => new Set(streams.map((s) => s.name)).size === streams.length || "stream names must be unique"
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type Catalog = typeof Catalog.Type

/**
 * What a read emits: an event, a checkpoint of a stream, or a row that was reported and skipped.
 *
 * @since 0.1.0
 * @category models
 */
export type ReadItem =
  | { readonly _tag: "Event"; readonly event: FeedEvent }
  | { readonly _tag: "Checkpoint"; readonly stream: string; readonly state: Schema.Json }
  | { readonly _tag: "Skipped"; readonly error: DecodeError }

/**
 * @since 0.1.0
 * @category constructors
 */
export const event = (event: FeedEvent): ReadItem => ({ _tag: "Event", event })

/**
 * @since 0.1.0
 * @category constructors
 */
export const checkpoint = (stream: string, state: Schema.Json): ReadItem => ({ _tag: "Checkpoint", stream, state })

/**
 * What to read.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  /** The streams to read; all of the catalog when absent. */
  readonly streams?: ReadonlyArray<string> | undefined
  /** The last checkpoint stored for each stream, to continue from. */
  readonly checkpoints?: Readonly<Record<string, Schema.Json>> | undefined
}

/**
 * The services a source runs on; {@link layer} provides them.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = Http.Services | FileSystem.FileSystem

/**
 * A connector.
 *
 * @since 0.1.0
 * @category models
 */
export interface Source<Config, Encoded = unknown> {
  /** `ca-sos`, `ballotpedia`, … */
  readonly id: string
  /** `name@version` of the package. */
  readonly connector: string
  readonly description: string
  /** Decodes the config from JSON (a file, flags, the environment); secrets decode to `Redacted`. */
  readonly configSchema: Schema.Codec<Config, Encoded>
  readonly catalog: (config: Config) => Effect.Effect<Catalog, SourceError, Services>
  /** Whether `config` can be used: credentials accepted, API reachable. */
  readonly check: (config: Config) => Effect.Effect<void, SourceError, Services>
  readonly read: (config: Config, options?: ReadOptions) => Stream.Stream<ReadItem, SourceError, Services>
  /**
   * How often an app polls the source when its config says nothing.
   *
   * @since 0.2.0
   */
  readonly every: Duration.Duration
  /**
   * Config keys that hold secrets, each with the environment variable an app reads it from.
   *
   * @since 0.2.0
   */
  readonly secrets: Readonly<Record<string, string>>
  /**
   * Command-line flags for config keys, for ad-hoc reads.
   *
   * @since 0.2.0
   */
  readonly flags: ReadonlyArray<Define.CliFlag>
  /**
   * The version of `@electfeed/core` that made the source: an app refuses one of another major
   * ({@link isCompatibleCore}).
   *
   * @since 0.2.0
   */
  readonly core: string
}

/**
 * A source of any config, as a registry holds them.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = Source<any, any>

/**
 * What a source says about itself besides reading: {@link make} gives defaults for all of it but `core`,
 * which it stamps.
 *
 * @since 0.2.0
 * @category models
 */
export type Metadata = "every" | "secrets" | "flags" | "core"

/**
 * Declares a source, keeping its types: polled every 60 seconds, no secrets and no flags unless it says
 * otherwise, stamped with this core's version.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Config, Encoded>(
  source: Omit<Source<Config, Encoded>, Metadata> & Partial<Omit<Pick<Source<Config, Encoded>, Metadata>, "core">>
): Source<Config, Encoded> => ({
  every: Duration.seconds(60),
  secrets: {},
  flags: [],
  ...source,
  core: CoreVersion.coreVersion
})

/**
 * The version of this `@electfeed/core`.
 *
 * @since 0.2.0
 * @category versions
 */
export const coreVersion: string = CoreVersion.coreVersion

/**
 * Whether a source made by core `version` (its `core`) runs on this core: the same major, and below
 * 1.0.0 the same minor (semver's caret rule).
 *
 * @since 0.2.0
 * @category versions
 */
export const isCompatibleCore: (version: unknown) => boolean = CoreVersion.isCompatible

/**
 * The services every source runs on, with defaults: undici HTTP, the in-memory rate limiter, the Node
 * file system.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Services> = Layer.mergeAll(Http.layer, NodeFileSystem.layer)

/**
 * Decodes a raw config for `source`. A failure is a `ConfigError` naming every offending key.
 *
 * @since 0.1.0
 * @category config
 */
export const decodeConfig = <Config, Encoded>(
  source: Source<Config, Encoded>,
  raw: unknown
): Effect.Effect<Config, ConfigError> =>
  Schema.decodeUnknownEffect(source.configSchema)(raw, { errors: "all" }).pipe(
    Effect.mapError((error) => new ConfigError({ source: source.id, detail: error.message.replace(/\n\s*/g, "; ") }))
  ) as Effect.Effect<Config, ConfigError>

/**
 * The streams of `catalog` that `options` asks for. An unknown name is a `ConfigError`.
 *
 * @since 0.1.0
 * @category reading
 */
export const selectStreams = (
  source: string,
  catalog: Catalog,
  options: ReadOptions | undefined
): Effect.Effect<ReadonlyArray<StreamSpec>, ConfigError> => {
  if (options?.streams === undefined) return Effect.succeed(catalog)
  const unknown = options.streams.filter((name) => !catalog.some((s) => s.name === name))
  return unknown.length > 0
    ? Effect.fail(
        new ConfigError({
          source,
          detail: `unknown stream${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the catalog has ${catalog
            .map((s) => s.name)
            .join(", ")}`
        })
      )
    : Effect.succeed(catalog.filter((s) => options.streams!.includes(s.name)))
}

/**
 * What to do with a row that cannot be used: report it and go on (`skip`), or end the read with its
 * error (`fail`). Either way the rows before it have been emitted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MalformedRows = Schema.Literals(["skip", "fail"])

/**
 * @since 0.1.0
 * @category models
 */
export type MalformedRows = typeof MalformedRows.Type

/**
 * Turns rows into read items: each good row through `toEvent` (which may itself find the row
 * malformed), each malformed row skipped or failed by `policy`.
 *
 * @since 0.1.0
 * @category reading
 */
export const rowsToItems = <E, R>(
  rows: Stream.Stream<RowOutcome, E>,
  policy: MalformedRows,
  toEvent: (row: Row) => Effect.Effect<FeedEvent, DecodeError, R>
): Stream.Stream<ReadItem, E | DecodeError, R> =>
  rows.pipe(
    Stream.mapEffect((outcome): Effect.Effect<ReadItem, DecodeError, R> => {
      const malformed = (error: DecodeError): Effect.Effect<ReadItem, DecodeError> =>
        policy === "skip"
          ? Effect.as(Effect.logWarning(`skipped: ${error.message}`), { _tag: "Skipped", error } as const)
          : Effect.fail(error)
      return outcome._tag === "Malformed"
        ? malformed(outcome.error)
        : toEvent(outcome).pipe(Effect.map(event), Effect.catch(malformed))
    })
  )

/**
 * A source declared as its id, package, config schema, HTTP settings and streams; core owns the rest.
 * See `Define.ts`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const define: typeof Define.define = (definition) => Define.define(definition)

/**
 * A stream of documents polled again and again: conditional GETs, and an unchanged body neither decoded
 * nor emitted.
 *
 * @since 0.2.0
 * @category constructors
 */
export const snapshot: typeof Snapshot.make = (options) => Snapshot.make(options)

/**
 * A stream of a large JSON-array or CSV file behind expiring links: a resumable download, rows decoded
 * as they stream from disk, malformed rows reported, a checkpoint every N rows.
 *
 * @since 0.2.0
 * @category constructors
 */
export const bulk: typeof Bulk.make = (options) => Bulk.make(options)

/**
 * A stream of a large file named by a small version document (a `current_ver.txt`): the version is
 * fetched on every read, an unchanged one downloads and emits nothing, and a new one's file is downloaded
 * resumably and decoded by the connector as it streams from disk, with checkpoints every N entities.
 *
 * @since 0.2.0
 * @category constructors
 */
export const versioned: typeof Versioned.make = (options) => Versioned.make(options)

/**
 * Told what became of each snapshot request (`decoded`, `not-modified`, `same-body`): how a test sees
 * that an unchanged document was not decoded.
 *
 * @since 0.2.0
 * @category snapshots
 */
export const SnapshotListener = Snapshot.SnapshotListener

/**
 * @since 0.2.0
 * @category models
 */
export type {
  CliFlag,
  Definition,
  HttpSettings,
  StreamContext,
  StreamDefinition,
  Streams,
  StreamsContext
} from "./Define.ts"

/**
 * @since 0.2.0
 * @category models
 */
export type { BulkOptions, BulkSettings } from "./internal/bulk.ts"

/**
 * @since 0.2.0
 * @category models
 */
export type { Entity } from "./internal/entities.ts"

/**
 * @since 0.2.0
 * @category models
 */
export type { BodyDecoder, SnapshotContext, SnapshotEvent, SnapshotOptions } from "./internal/snapshot.ts"

/**
 * @since 0.2.0
 * @category models
 */
export type { VersionedContext, VersionedOptions, VersionedSettings } from "./internal/versioned.ts"
