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
 * A row as an entity: its key and its data.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entity<K extends Feed.EntityKind> {
  readonly key: string
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
  /** The row's entity, or a `DecodeError` naming the row and the column. */
  readonly decode: (row: Decoding.Row, context: RowContext) => Effect.Effect<Entity<K>, SourceError.DecodeError>
}

/**
 * A key: a literal prefix, then values, each escaped so that a `/` inside a value cannot make two keys
 * alike.
 *
 * @since 0.1.0
 * @category keys
 */
export const key = (prefix: string, ...values: ReadonlyArray<string>): string =>
  [prefix, ...values.map(encodeURIComponent)].join("/")
