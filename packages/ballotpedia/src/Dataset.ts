/**
 * Reading one dataset: download its file to disk, then stream its rows into feed events.
 *
 * The file is downloaded whole before its first row is read (core's `Download`): memory stays bounded
 * whatever its size, its SHA-256 is known for the provenance of every row, an expired link or a dropped
 * connection resumes with `Range`, and an unchanged file is not downloaded again. Rows are then read from
 * disk, with a checkpoint every {@link checkpointEvery} rows and at the end.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Decoding, Download, Feed, Progress, Source, SourceError } from "@electfeed/core"
import { Array as Arr, Effect, FileSystem, Option, type Schema, Stream } from "effect"
import { type Api, sourceId } from "./Api.ts"
import * as Candidate from "./Candidate.ts"
import * as Checkpoint from "./Checkpoint.ts"
import type { Kind, Settings } from "./Config.ts"
import * as DatasetRow from "./DatasetRow.ts"
import * as Endorsement from "./Endorsement.ts"
import type { Mapping, RowContext } from "./Mapping.ts"

/**
 * A checkpoint is emitted after every this many rows.
 *
 * @since 0.1.0
 * @category reading
 */
export const checkpointEvery = 5_000

const progressEvery = 10_000

/**
 * The mapping of each kind.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mappings: { readonly [K in Kind]: Mapping<K> } = {
  Candidate: Candidate.mapping,
  Endorsement: Endorsement.mapping,
  DatasetRow: DatasetRow.mapping
}

/**
 * The stream name of a dataset.
 *
 * @since 0.1.0
 * @category reading
 */
export const streamName = (dataset: string): string => `dataset:${dataset}`

// Ids escaped longer than this are cut, and told apart by a hash of the whole.
const maxEscapedId = 100

/**
 * A dataset id as a part of a file name: ASCII letters, digits, `_` and `-` as they are, every other
 * UTF-16 code unit escaped (`.` as `%2E`, `é` as `%E9`, `候` as `%u5019`). Any id, `../x` or a lone
 * surrogate included, gives a plain name, and different ids give different names (long ones are told
 * apart by a hash).
 */
const escapeId = (id: string): string => {
  let escaped = ""
  for (let index = 0; index < id.length; index++) {
    const unit = id.charCodeAt(index)
    escaped += /[A-Za-z0-9_-]/.test(id[index]!)
      ? id[index]
      : unit < 0x100
        ? `%${unit.toString(16).toUpperCase().padStart(2, "0")}`
        : `%u${unit.toString(16).toUpperCase().padStart(4, "0")}`
  }
  return escaped.length <= maxEscapedId
    ? escaped
    : `${escaped.slice(0, 60)}~${createHash("sha256").update(escaped).digest("hex").slice(0, 32)}`
}

/**
 * The file name of a dataset's download inside core's `DownloadDirectory`. Dataset ids come from
 * `getQueryList`, so they are escaped: whatever the id, the name stays a plain file name of the directory.
 *
 * @since 0.1.0
 * @category reading
 */
export const fileName = (dataset: string, format: string): string => `ballotpedia-${escapeId(dataset)}.${format}`

type Downloaded = Extract<Download.DownloadResult, { readonly _tag: "Downloaded" }>

const eventOf = <K extends Kind>(mapping: Mapping<K>, context: RowContext, file: Downloaded, api: Api) => {
  // Every row of the file shares these.
  const stream = streamName(context.dataset)
  const provenance = api.files.provenance(file)
  return (row: Decoding.Row): Effect.Effect<Feed.FeedEvent, SourceError.DecodeError> =>
    Effect.map(mapping.decode(row, context), ({ key, data }) =>
      Feed.makeEvent({
        source: sourceId,
        stream,
        kind: mapping.kind,
        key,
        observedAt: file.observedAt,
        provenance,
        data
      })
    )
}

/**
 * Reads one dataset, going on from its stored checkpoint: nothing when the file is the one read to
 * the end before, the rows after the checkpoint's when it is the same file, every row when it changed.
 *
 * @since 0.1.0
 * @category reading
 */
export const read = (
  api: Api,
  settings: Settings,
  dataset: { readonly id: string; readonly kind: Kind },
  stored: Schema.Json | undefined
): Stream.Stream<Source.ReadItem, SourceError.SourceError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const stream = streamName(dataset.id)
      const previous = Option.getOrUndefined(yield* Checkpoint.read(stream, stored))
      const file = yield* Download.download(
        api.files,
        {
          stream,
          name: fileName(dataset.id, settings.format),
          link: api.link(dataset.id, settings.format),
          known: previous?.complete ? previous.validators : undefined,
          expect: settings.format === "json" ? "json-array" : "csv",
          maxBytes: settings.maxDownloadBytes,
          maxDuration: settings.maxDownloadDuration
        },
        settings.retry
      )
      if (file._tag === "Unchanged") {
        yield* Effect.logInfo(`${stream} is unchanged since it was last read`)
        return Stream.empty
      }
      const remove = fs.remove(file.path).pipe(Effect.ignore)
      const sameFile = previous?.sha256 === file.sha256
      if (sameFile && previous.complete) {
        yield* Effect.logInfo(`${stream} is the file read to the end before; nothing to emit`)
        yield* remove
        return Stream.empty
      }
      const skip = sameFile ? previous.rows : 0
      if (skip > 0) yield* Effect.logInfo(`${stream}: going on after the ${skip} rows already emitted`)
      return rows(api, settings, dataset, file, skip).pipe(Stream.ensuring(remove))
    })
  )

const rows = (
  api: Api,
  settings: Settings,
  dataset: { readonly id: string; readonly kind: Kind },
  file: Downloaded,
  skip: number
): Stream.Stream<Source.ReadItem, SourceError.SourceError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const stream = streamName(dataset.id)
      const context: RowContext = { client: api.files, url: file.url, dataset: dataset.id }
      let bytes = 0
      let handled = skip
      let reported = Math.floor(skip / progressEvery)
      const checkpoint = (rows: number, complete: boolean) =>
        Source.checkpoint(stream, Checkpoint.make({ validators: file.validators, sha256: file.sha256, rows, complete }))
      const progress = (done: boolean) =>
        Progress.report({
          source: sourceId,
          stream,
          phase: "parse",
          bytes,
          totalBytes: file.bytes,
          rows: handled,
          done
        })

      // Progress is told as each piece of the file is read (rows lag by less than a piece): once per piece
      // is cheaper than once per row.
      const content = fs.stream(file.path).pipe(
        Stream.mapError(
          (error) =>
            new SourceError.ConfigError({
              source: sourceId,
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
        settings.format === "json" ? Decoding.jsonArrayRows(content, context) : Decoding.csvRows(content, context)
      const items = Source.rowsToItems(
        Stream.drop(outcomes, skip),
        settings.malformedRows,
        eventOf(mappings[dataset.kind] as Mapping<Kind>, context, file, api)
      )
      // Each row gives exactly one item (an event or a skip), so counting items counts rows.
      const withCheckpoints = Stream.mapArray(items, (chunk) => {
        const before = handled
        handled += chunk.length
        if (Math.floor(handled / checkpointEvery) === Math.floor(before / checkpointEvery)) return chunk
        return Arr.flatMap(chunk, (item, i): Arr.NonEmptyReadonlyArray<Source.ReadItem> => {
          const rows = before + i + 1
          return rows % checkpointEvery === 0 ? [item, checkpoint(rows, false)] : [item]
        })
      })
      const end = Effect.suspend(() => Effect.as(progress(true), checkpoint(handled, true)))
      return Stream.concat(withCheckpoints, Stream.fromEffect(end))
    })
  )
