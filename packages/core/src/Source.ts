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
import { Effect, type FileSystem, Layer, Schema, Stream } from "effect"
import type { Row, RowOutcome } from "./Decoding.ts"
import * as Define from "./Define.ts"
import { EntityKind, type FeedEvent } from "./Feed.ts"
import * as Http from "./Http.ts"
import * as Bulk from "./internal/bulk.ts"
import * as Snapshot from "./internal/snapshot.ts"
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
}

/**
 * A source of any config, as a registry holds them.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = Source<any, any>

/**
 * Declares a source, keeping its types.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Config, Encoded>(source: Source<Config, Encoded>): Source<Config, Encoded> => source

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
