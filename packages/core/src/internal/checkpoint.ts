/**
 * The checkpoints of defined sources: one schema owned by core, validated when read back.
 */
import { Array as Arr, Effect, Option, Schema, Stream } from "effect"
import type { Validators } from "../Download.ts"
import type { ReadItem } from "../Source.ts"

const ValidatorsSchema = Schema.Struct({
  etag: Schema.optionalKey(Schema.String),
  lastModified: Schema.optionalKey(Schema.String)
})

const Sha256 = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))

/** What a snapshot request last answered: its validators for a conditional GET, and its body's hash. */
export const SnapshotRequest = Schema.Struct({ validators: ValidatorsSchema, sha256: Sha256 })

export type SnapshotRequest = typeof SnapshotRequest.Type

/** A snapshot stream: per request (method and URL), what it last answered. */
export const Snapshot = Schema.TaggedStruct("Snapshot", {
  requests: Schema.Record(Schema.String, SnapshotRequest)
})

export type Snapshot = typeof Snapshot.Type

/**
 * A bulk stream: which version of the file was read, and how far. `rows` counts the rows handled
 * (emitted or skipped) before the checkpoint; `complete` marks the end of the file.
 */
export const Bulk = Schema.TaggedStruct("Bulk", {
  validators: ValidatorsSchema,
  sha256: Sha256,
  rows: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  complete: Schema.Boolean
})

export type Bulk = typeof Bulk.Type

/** Validators without absent members, as JSON. */
export const validators = (known: Validators): Snapshot["requests"][string]["validators"] => ({
  ...(known.etag === undefined ? {} : { etag: known.etag }),
  ...(known.lastModified === undefined ? {} : { lastModified: known.lastModified })
})

/**
 * The stored checkpoint of `stream`, if any. One that does not fit `schema` (written by another version
 * or another source, say) is treated as absent, with a warning: the stream is then read from its start,
 * which repeats events but loses none.
 */
export const read = <S extends Schema.Decoder<unknown>>(
  schema: S,
  stream: string,
  stored: Schema.Json | undefined
): Effect.Effect<Option.Option<S["Type"]>, never, S["DecodingServices"]> =>
  stored === undefined
    ? Effect.succeedNone
    : Schema.decodeUnknownEffect(schema)(stored).pipe(
        Effect.map(Option.some),
        Effect.catch((error) =>
          Effect.as(
            Effect.logWarning(`ignoring the checkpoint of ${stream}, which cannot be read: ${error.message}`),
            Option.none()
          )
        )
      )

/** How far a read has gone: the items handled, those of earlier reads it resumed after included. */
export interface Count {
  value: number
}

/**
 * Counts the items of a read into `count` (one item per row or entity, so the count is how far the
 * read has gone) and puts `checkpoint(count)` after every `every`-th, counting from where `count`
 * starts: a read resumed from such a checkpoint skips that many items.
 */
export const every = <E, R>(
  items: Stream.Stream<ReadItem, E, R>,
  every: number,
  count: Count,
  checkpoint: (count: number) => ReadItem
): Stream.Stream<ReadItem, E, R> =>
  Stream.mapArray(items, (chunk) => {
    const before = count.value
    count.value += chunk.length
    if (Math.floor(count.value / every) === Math.floor(before / every)) return chunk
    return Arr.flatMap(
      chunk,
      (item, i): Arr.NonEmptyReadonlyArray<ReadItem> =>
        (before + i + 1) % every === 0 ? [item, checkpoint(before + i + 1)] : [item]
    )
  })
