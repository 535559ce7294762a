/**
 * Bulk streams: large files behind expiring links. The file is downloaded whole (core's resumable
 * `Download`) before its first row is read, then streamed from disk row by row, with a checkpoint every
 * `checkpointEvery` rows and at the end. A read given a checkpoint goes on after its rows when the file is
 * the same, reads every row when it changed, and reads nothing when it is the file read to the end.
 */
import { Array as Arr, Duration, Effect, FileSystem, Option, type Schema, Stream } from "effect"
import * as Decoding from "../Decoding.ts"
import type { StreamContext, StreamDefinition } from "../Define.ts"
import * as Download from "../Download.ts"
import type { EntityKind } from "../Feed.ts"
import * as Progress from "../Progress.ts"
import * as Source from "../Source.ts"
import { ConfigError, type DecodeError, type SourceError } from "../SourceError.ts"
import * as Checkpoint from "./checkpoint.ts"
import { type Entity, toEvent } from "./entities.ts"
import * as FileName from "./fileName.ts"

/** Settings of a bulk stream that a config may change. */
export interface BulkSettings {
  /** What to do with a row that cannot be used. Default `skip`. */
  readonly malformedRows?: Source.MalformedRows | undefined
  /** A checkpoint is emitted after every this many rows. Default 5,000. */
  readonly checkpointEvery?: number | undefined
  /** The largest file accepted. Default: `Download.defaultMaxBytes`. */
  readonly maxBytes?: number | undefined
  /** The longest a download may take. Default: `Download.defaultMaxDuration`. */
  readonly maxDuration?: Duration.Input | undefined
}

/** A bulk stream, declared. */
export interface BulkOptions<Config, K extends EntityKind, Row> {
  readonly kind: K
  /** How an event's `key` is formed, for people. */
  readonly key: string
  readonly description: string
  /** A fresh link to the file: asked for first, and again each time a link has expired. */
  readonly link: (context: StreamContext<Config>) => Effect.Effect<string, SourceError>
  readonly format: "json" | "csv"
  /** Decodes one row (a JSON array's element, or a CSV record keyed by the header's names). */
  readonly row: Schema.Decoder<Row>
  /**
   * The entity of a decoded row; a `DecodeError` reports the row as malformed. `url` is the file's, for
   * such errors to say where the row is.
   */
  readonly entity: (
    row: Row,
    context: StreamContext<Config> & { readonly index: number; readonly url: string }
  ) => Entity<K> | Effect.Effect<Entity<K>, DecodeError>
  /**
   * Text put before every key as it is, unlike key parts, which are encoded: a prefix whose punctuation
   * is part of keys already stored (`dataset:1253`, say).
   */
  readonly keyPrefix?: ((context: StreamContext<Config>) => string) | undefined
  readonly settings?: ((config: Config) => BulkSettings) | undefined
}

const defaultCheckpointEvery = 5_000

// Parse progress is told when the rows handled pass a multiple of this: often enough to watch, rarely
// enough to cost nothing.
const progressEvery = 10_000

type Downloaded = Extract<Download.DownloadResult, { readonly _tag: "Downloaded" }>

const checkpointOf = (file: Downloaded, rows: number, complete: boolean): Checkpoint.Bulk => ({
  _tag: "Bulk",
  validators: Checkpoint.validators(file.validators),
  sha256: file.sha256,
  rows,
  complete
})

const rows = <Config, K extends EntityKind, Row>(
  options: BulkOptions<Config, K, Row>,
  context: StreamContext<Config>,
  settings: BulkSettings,
  file: Downloaded,
  skip: number
): Stream.Stream<Source.ReadItem, SourceError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const every = Math.max(1, settings.checkpointEvery ?? defaultCheckpointEvery)
      const rowContext = { client: context.files, url: file.url }
      const origin = {
        ...context,
        client: context.files,
        url: file.url,
        sha256: file.sha256,
        observedAt: file.observedAt
      }
      const prefix = options.keyPrefix?.(context)
      let bytes = 0
      let handled = skip
      let reported = Math.floor(skip / progressEvery)
      const checkpoint = (rows: number, complete: boolean) =>
        Source.checkpoint(context.stream, checkpointOf(file, rows, complete))
      const progress = (done: boolean) =>
        Progress.report({
          source: context.source,
          stream: context.stream,
          phase: "parse",
          bytes,
          totalBytes: file.bytes,
          rows: handled,
          done
        })
      // Progress is looked at once per piece of the file read (rows lag by less than a piece): cheaper
      // than once per row.
      const content = fs.stream(file.path).pipe(
        Stream.mapError(
          (error) =>
            new ConfigError({
              source: context.source,
              detail: `cannot read the downloaded file ${file.path}: ${error.message}`
            })
        ),
        Stream.tap((chunk) => {
          bytes += chunk.byteLength
          if (Math.floor(handled / progressEvery) === reported) return Effect.void
          reported = Math.floor(handled / progressEvery)
          return progress(false)
        })
      )
      const outcomes =
        options.format === "json" ? Decoding.jsonArrayRows(content, rowContext) : Decoding.csvRows(content, rowContext)
      const items = Source.rowsToItems(Stream.drop(outcomes, skip), settings.malformedRows ?? "skip", (row) =>
        Effect.gen(function* () {
          const decoded = yield* Decoding.decodeRow(options.row, row, rowContext)
          const mapped = options.entity(decoded, { ...context, index: row.index, url: file.url })
          const entity = Effect.isEffect(mapped) ? yield* mapped : mapped
          const event = yield* toEvent(options.kind, origin, entity, row.index)
          return prefix === undefined ? event : { ...event, key: `${prefix}/${event.key}` }
        })
      )
      // Each row gives exactly one item (an event or a skip), so counting items counts rows.
      const withCheckpoints = Stream.mapArray(items, (chunk) => {
        const before = handled
        handled += chunk.length
        if (Math.floor(handled / every) === Math.floor(before / every)) return chunk
        return Arr.flatMap(
          chunk,
          (item, i): Arr.NonEmptyReadonlyArray<Source.ReadItem> =>
            (before + i + 1) % every === 0 ? [item, checkpoint(before + i + 1, false)] : [item]
        )
      })
      const end = Effect.suspend(() => Effect.as(progress(true), checkpoint(handled, true)))
      return Stream.concat(withCheckpoints, Stream.fromEffect(end))
    })
  )

/** Builds a bulk stream. */
export const make = <Config, const K extends EntityKind, Row>(
  options: BulkOptions<Config, K, Row>
): StreamDefinition<Config> => ({
  mode: "bulk",
  kind: options.kind,
  key: options.key,
  description: options.description,
  check: (context) => Effect.asVoid(options.link(context)),
  read: (context, stored) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const settings = options.settings?.(context.config) ?? {}
        const previous = Option.getOrUndefined(yield* Checkpoint.read(Checkpoint.Bulk, context.stream, stored))
        const file = yield* Download.download(
          context.files,
          {
            stream: context.stream,
            name: FileName.of(context.source, context.stream, options.format),
            link: options.link(context),
            known: previous?.complete ? previous.validators : undefined,
            expect: options.format === "json" ? "json-array" : "csv",
            maxBytes: settings.maxBytes,
            maxDuration: settings.maxDuration === undefined ? undefined : Duration.fromInputUnsafe(settings.maxDuration)
          },
          context.retry
        )
        if (file._tag === "Unchanged") {
          yield* Effect.logInfo(`${context.stream} is unchanged since it was last read`)
          return Stream.empty
        }
        const remove = fs.remove(file.path).pipe(Effect.ignore)
        const sameFile = previous?.sha256 === file.sha256
        if (sameFile && previous.complete) {
          yield* Effect.logInfo(`${context.stream} is the file read to the end before; nothing to emit`)
          yield* remove
          return Stream.empty
        }
        const skip = sameFile ? previous.rows : 0
        if (skip > 0) yield* Effect.logInfo(`${context.stream}: going on after the ${skip} rows already emitted`)
        return rows(options, context, settings, file, skip).pipe(Stream.ensuring(remove))
      })
    )
})
