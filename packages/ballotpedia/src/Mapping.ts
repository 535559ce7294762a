/**
 * What a mapping from a dataset's rows to feed entities looks like.
 *
 * @since 0.1.0
 */
import type { Decoding, Feed, SourceError } from "@electfeed/core"
import type { Effect } from "effect"

/**
 * Where a row comes from.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowContext extends Decoding.RowContext {
  /** The dataset id. */
  readonly dataset: string
}

/**
 * A row as an entity: the parts of its key after the dataset's prefix (core encodes each, so that a `/`
 * inside a value cannot make two keys alike), and its data.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entity<K extends Feed.EntityKind> {
  readonly key: ReadonlyArray<string>
  readonly data: Feed.EventOf<K>["data"]
}

/**
 * How the rows of a dataset become entities of one kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mapping<K extends Feed.EntityKind> {
  readonly kind: K
  /** How a key is formed, for people (the catalog). */
  readonly key: string
  /** What every key of the dataset starts with, as it is (`candidate`, `dataset:1253`). */
  readonly keyPrefix: (dataset: string) => string
  /** The row's entity, or a `DecodeError` naming the row and the column. */
  readonly decode: (row: Decoding.Row, context: RowContext) => Effect.Effect<Entity<K>, SourceError.DecodeError>
}
