/**
 * Bulk streams: large files behind expiring links. The file is downloaded whole (core's resumable
 * `Download`) before its first row is read, then streamed from disk row by row, with a checkpoint every
 * `checkpointEvery` rows and at the end. A read given a checkpoint goes on after its rows when the file is
 * the same, reads every row when it changed, and reads nothing when it is the file read to the end.
 */
import { Array as Arr, Cause, Duration, Effect, Exit, FileSystem, Option, type Schema, Stream } from "effect"
import * as Decoding from "../Decoding.ts"
import type { StreamContext, StreamDefinition } from "../Define.ts"
import * as Download from "../Download.ts"
import type { EntityKind, FeedEvent } from "../Feed.ts"
import * as Progress from "../Progress.ts"
import * as Source from "../Source.ts"
import { ConfigError, type DecodeError, type SourceError } from "../SourceError.ts"
import * as Checkpoint from "./checkpoint.ts"
import { type Entity, eventsOf } from "./entities.ts"
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

// Pieces of the file (64 KiB each) read ahead of the parse.
const readAhead = 16

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
      const handled: Checkpoint.Count = { value: skip }
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
          rows: handled.value,
          done
        })
      // Progress is looked at once per piece of the file read (rows lag by less than a piece): cheaper
      // than once per row. The file is read ahead of the parse, so that a wait for the disk (or for the
      // scheduler, on a busy machine) is not a wait of the parse: pieces stay small, so the rows of one
      // are few.
      const content = fs.stream(file.path).pipe(
        Stream.buffer({ capacity: readAhead }),
        Stream.mapError(
          (error) =>
            new ConfigError({
              source: context.source,
              detail: `cannot read the downloaded file ${file.path}: ${error.message}`
            })
        ),
        Stream.tap((chunk) => {
          bytes += chunk.byteLength
          if (Math.floor(handled.value / progressEvery) === reported) return Effect.void
          reported = Math.floor(handled.value / progressEvery)
          return progress(false)
        })
      )
      const outcomes =
        options.format === "json" ? Decoding.jsonArrayRows(content, rowContext) : Decoding.csvRows(content, rowContext)
      const policy = settings.malformedRows ?? "skip"
      const toEvent = eventsOf(options.kind, origin, prefix)
      // The eager combinators keep a row whose steps are all done (schema decoding gives an `Exit`, as do
      // most mappings) out of the effect runtime: a chunk of rows then costs no effect per row.
      const eventOf = (row: Decoding.Row): Effect.Effect<FeedEvent, DecodeError> =>
        Effect.flatMapEager(Decoding.decodeRow(options.row, row, rowContext), (decoded) => {
          const mapped = options.entity(decoded, { ...context, index: row.index, url: file.url })
          return Effect.isEffect(mapped)
            ? Effect.flatMapEager(mapped, (entity) => toEvent(entity, row.index))
            : toEvent(mapped, row.index)
        })
      // Under `fail`, the rows of a chunk before the bad one are emitted, and the read fails after them.
      let failure: DecodeError | undefined
      const itemsOf = (chunk: Arr.NonEmptyReadonlyArray<Decoding.RowOutcome>) => {
        if (failure !== undefined) return Effect.fail(failure)
        const items: Array<Source.ReadItem> = []
        const skipped: Array<DecodeError> = []
        // Whether to go on after this row.
        const settled = (exit: Exit.Exit<FeedEvent, DecodeError>): boolean | Cause.Cause<DecodeError> => {
          if (Exit.isSuccess(exit)) {
            items.push(Source.event(exit.value))
            return true
          }
          const error = Cause.findErrorOption(exit.cause)
          if (Option.isNone(error)) return exit.cause
          if (policy === "fail") {
            failure = error.value
            return false
          }
          skipped.push(error.value)
          items.push({ _tag: "Skipped", error: error.value })
          return true
        }
        const done = (): Effect.Effect<Arr.NonEmptyReadonlyArray<Source.ReadItem>, DecodeError> => {
          const warned = Effect.forEach(skipped, (error) => Effect.logWarning(`skipped: ${error.message}`), {
            discard: true
          })
          return Arr.isArrayNonEmpty(items) ? Effect.as(warned, items) : Effect.andThen(warned, Effect.fail(failure!))
        }
        const from = (start: number): Effect.Effect<Arr.NonEmptyReadonlyArray<Source.ReadItem>, DecodeError> => {
          for (let i = start; i < chunk.length; i++) {
            const outcome = chunk[i]!
            const result = outcome._tag === "Malformed" ? Exit.fail(outcome.error) : eventOf(outcome)
            if (!Exit.isExit(result)) {
              return Effect.flatMap(Effect.exit(result), (exit) => {
                const next = settled(exit)
                return next === true ? from(i + 1) : next === false ? done() : Effect.failCause(next)
              })
            }
            const next = settled(result as Exit.Exit<FeedEvent, DecodeError>)
            if (next === false) break
            if (next !== true) return Effect.failCause(next)
          }
          return done()
        }
        return from(0)
      }
      const items = Stream.mapArrayEffect(Stream.drop(outcomes, skip), itemsOf)
      // Each row gives exactly one item (an event or a skip), so counting items counts rows.
      const withCheckpoints = Checkpoint.every(items, every, handled, (rows) => checkpoint(rows, false))
      const end = Effect.suspend(() =>
        failure === undefined ? Effect.as(progress(true), checkpoint(handled.value, true)) : Effect.fail(failure)
      )
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
