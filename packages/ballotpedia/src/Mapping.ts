/**
 * What a mapping from a dataset's rows to feed entities looks like.
 *
 * @since 0.1.0
 */
import { type Decoding, Feed, type SourceError } from "@electfeed/core"
import { Effect, Result } from "effect"

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
 * A part of a key: a value of the row's `column`, or literal text.
 *
 * @since 0.1.0
 * @category keys
 */
export type KeyPart = string | { readonly column: string; readonly value: string }

/**
 * A key: a literal prefix, then parts, each escaped by core's `Feed.keyPart` so that a `/` inside a value
 * cannot make two keys alike. A value that cannot be part of a key (text with a lone surrogate) is a
 * `DecodeError` naming the row and the column, so that the row is skipped or fails the read by the
 * malformed-rows policy, like any row that does not decode.
 *
 * @since 0.1.0
 * @category keys
 */
export const key = (
  row: Decoding.Row,
  context: RowContext,
  prefix: string,
  ...parts: ReadonlyArray<KeyPart>
): Effect.Effect<string, SourceError.DecodeError> => {
  const segments = [prefix]
  for (const part of parts) {
    const { column, value } = typeof part === "string" ? { column: undefined, value: part } : part
    const segment = Feed.keyPart(value)
    if (Result.isFailure(segment)) {
      return Effect.fail(
        context.client.decodeError({
          url: context.url,
          row: row.index,
          column,
          detail: `the value cannot be part of the row's key: ${segment.failure}`,
          input: JSON.stringify(value)
        })
      )
    }
    segments.push(segment.success)
  }
  return Effect.succeed(segments.join("/"))
}
