/**
 * Versioned streams: a small document names the current version of a large file (Clarity's
 * `current_ver.txt` and its `<version>/reports/detailxml.zip`, say). The version document is fetched on
 * every read; when it names the version read to the end before, nothing is downloaded and nothing
 * emitted. Otherwise the file of that version is downloaded (core's resumable `Download`) and its bytes
 * are streamed from disk through the connector's own decoder, one entity at a time, with a checkpoint
 * every `checkpointEvery` entities and at the end.
 */
import { type Array as Arr, Duration, Effect, FileSystem, Option, Schema, Stream } from "effect"
import type { HttpClientRequest } from "effect/http"
import type { StreamContext, StreamDefinition } from "../Define.ts"
import * as Download from "../Download.ts"
import type { EntityKind } from "../Feed.ts"
import type * as Http from "../Http.ts"
import * as Source from "../Source.ts"
import { ConfigError, type SourceError } from "../SourceError.ts"
import * as Checkpoint from "./checkpoint.ts"
import { type Entity, toEvent } from "./entities.ts"
import * as FileName from "./fileName.ts"
import { SnapshotListener } from "./snapshot.ts"

/** Settings of a versioned stream that a config may change. */
export interface VersionedSettings {
  /** A checkpoint is emitted after every this many entities. Default 5,000. */
  readonly checkpointEvery?: number | undefined
  /** The largest file accepted. Default: `Download.defaultMaxBytes`. */
  readonly maxBytes?: number | undefined
  /** The longest a download may take. Default: `Download.defaultMaxDuration`. */
  readonly maxDuration?: Duration.Input | undefined
}

/** What decoding a version's file is given: the stream's context, the version and the file's URL. */
export interface VersionedContext<Config> extends StreamContext<Config> {
  readonly version: string
  /** The file's URL, secrets removed: for the `DecodeError`s that say where. */
  readonly url: string
}

/** A versioned stream, declared. */
export interface VersionedOptions<Config, K extends EntityKind> {
  readonly kind: K
  /** How an event's `key` is formed, for people. */
  readonly key: string
  readonly description: string
  /** The request of the document that names the current version. */
  readonly version: (config: Config) => HttpClientRequest.HttpClientRequest
  /** The version in that document's body; a failure is a `DecodeError` (its detail) quoting the body. */
  readonly parseVersion: (body: Http.Body) => string | { readonly error: string }
  /** The link to the file of `version` (relative to the base URL, or absolute). */
  readonly file: (version: string, config: Config) => string
  /** The extension of the file as kept in the download directory (`zip`). */
  readonly extension: string
  /** The entities of the file, in order, from its bytes as they stream from disk. */
  readonly entities: (
    bytes: Stream.Stream<Uint8Array, SourceError>,
    context: VersionedContext<Config>
  ) => Stream.Stream<Entity<K>, SourceError>
  readonly settings?: ((config: Config) => VersionedSettings) | undefined
}

/**
 * Which version was read, and how far: `entities` counts the entities emitted before the checkpoint;
 * `complete` marks the end of the file.
 */
const VersionedCheckpoint = Schema.TaggedStruct("Versioned", {
  version: Schema.String,
  sha256: Schema.String,
  entities: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  complete: Schema.Boolean
})

type VersionedCheckpoint = typeof VersionedCheckpoint.Type

const defaultCheckpointEvery = 5_000

/** Builds a versioned stream. */
export const make = <Config, const K extends EntityKind>(
  options: VersionedOptions<Config, K>
): StreamDefinition<Config> => {
  const current = Effect.fnUntraced(function* (context: StreamContext<Config>) {
    const request = options.version(context.config)
    const body = yield* context.client.fetch(request)
    const parsed = options.parseVersion(body)
    if (typeof parsed !== "string") {
      return yield* context.client.decodeError({ url: body.url, detail: parsed.error, input: body.text })
    }
    return { version: parsed, request: `${request.method} ${request.url}` }
  })

  const read = (context: StreamContext<Config>, stored: Schema.Json | undefined) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const listener = yield* SnapshotListener
        const settings = options.settings?.(context.config) ?? {}
        const every = Math.max(1, settings.checkpointEvery ?? defaultCheckpointEvery)
        const previous = Option.getOrUndefined(yield* Checkpoint.read(VersionedCheckpoint, context.stream, stored))
        const { version, request } = yield* current(context)
        const tell = (outcome: "decoded" | "same-body") => listener({ stream: context.stream, request, outcome })
        if (previous?.version === version && previous.complete) {
          yield* tell("same-body")
          return Stream.make(Source.checkpoint(context.stream, previous))
        }
        const link = options.file(version, context.config)
        const file = yield* Download.download(
          context.files,
          {
            stream: context.stream,
            // By link, not only by stream: instances of one source (several sites) share a download folder.
            name: FileName.of(context.source, `${context.stream} ${link}`, options.extension),
            link: Effect.succeed(link),
            maxBytes: settings.maxBytes,
            maxDuration: settings.maxDuration === undefined ? undefined : Duration.fromInputUnsafe(settings.maxDuration)
          },
          context.retry
        )
        // No validators are sent, so the host cannot answer "unchanged"; a file is always downloaded.
        if (file._tag === "Unchanged") return Stream.empty
        const skip = previous?.version === version && previous.sha256 === file.sha256 ? previous.entities : 0
        if (skip > 0) yield* Effect.logInfo(`${context.stream}: going on after the ${skip} entities already emitted`)
        const origin = {
          ...context,
          client: context.files,
          url: file.url,
          sha256: file.sha256,
          observedAt: file.observedAt
        }
        const checkpoint = (entities: number, complete: boolean) =>
          Source.checkpoint(context.stream, {
            _tag: "Versioned",
            version,
            sha256: file.sha256,
            entities,
            complete
          } satisfies VersionedCheckpoint)
        const bytes = fs.stream(file.path).pipe(
          Stream.mapError(
            (error) =>
              new ConfigError({
                source: context.source,
                detail: `cannot read the downloaded file ${file.path}: ${error.message}`
              })
          )
        )
        const emitted: Checkpoint.Count = { value: skip }
        // Each entity gives one event, so counting events counts entities.
        const items = options.entities(bytes, { ...context, version, url: file.url }).pipe(
          Stream.drop(skip),
          // A chunk at a time: a file of hundreds of thousands of entities pays the stream's cost per chunk.
          Stream.mapArrayEffect((chunk) =>
            Effect.map(
              Effect.forEach(chunk, (entity) => Effect.map(toEvent(options.kind, origin, entity), Source.event)),
              // One item per entity: as many as the chunk has, so never none.
              (items) => items as unknown as Arr.NonEmptyReadonlyArray<Source.ReadItem>
            )
          ),
          (decoded) => Checkpoint.every(decoded, every, emitted, (entities) => checkpoint(entities, false))
        )
        const end = Effect.suspend(() => Effect.as(tell("decoded"), checkpoint(emitted.value, true)))
        return Stream.concat(items, Stream.fromEffect(end)).pipe(
          Stream.ensuring(fs.remove(file.path).pipe(Effect.ignore))
        )
      })
    )

  return {
    mode: "snapshot",
    kind: options.kind,
    key: options.key,
    description: options.description,
    check: (context) => Effect.asVoid(current(context)),
    read
  }
}
