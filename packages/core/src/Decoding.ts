/**
 * Reading rows out of large bodies, one at a time, with every problem located.
 *
 * A bulk file is a JSON array of row objects or a CSV table with a header. Both are streamed (effect's
 * `JsonArray` and `Csv` decoders) so no file is ever held whole. A row that cannot be used is a
 * {@link Malformed} value, not a failure, so the rows after it still flow; a break in the file's syntax,
 * after which no row can be trusted, fails the stream with a `DecodeError` at its offset.
 *
 * @since 0.1.0
 */
import { Effect, Predicate, Schema, Stream } from "effect"
import { Csv, JsonArray } from "effect/encoding"
import { type Client, firstIssue } from "./Http.ts"
import type { DecodeError } from "./SourceError.ts"

/**
 * A row read from a file: its 0-based number (the header not counted) and its values by column.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly _tag: "Row"
  readonly index: number
  readonly values: Readonly<Record<string, unknown>>
}

/**
 * A row that cannot be used, with the reason and where it is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Malformed {
  readonly _tag: "Malformed"
  readonly error: DecodeError
}

/**
 * @since 0.1.0
 * @category models
 */
export type RowOutcome = Row | Malformed

/**
 * Where rows come from, for the errors that name them.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowContext {
  readonly client: Pick<Client, "decodeError">
  /** The URL of the file, secrets removed. */
  readonly url: string
}

/**
 * The elements of a JSON array of objects. An element that is not an object is {@link Malformed}.
 *
 * @since 0.1.0
 * @category rows
 */
export const jsonArrayRows = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  context: RowContext
): Stream.Stream<RowOutcome, E | DecodeError> =>
  bytes.pipe(
    Stream.pipeThroughChannel(JsonArray.decode()),
    Stream.mapError((error) =>
      JsonArray.isJsonArrayError(error)
        ? context.client.decodeError({
            url: context.url,
            detail: `the file is not a readable JSON array${
              error.offset === undefined ? "" : ` at character ${error.offset}`
            }: ${error.message}`,
            input: ""
          })
        : (error as E)
    ),
    Stream.zipWithIndex,
    Stream.map(
      ([value, index]): RowOutcome =>
        Predicate.isObject(value) && !Array.isArray(value)
          ? { _tag: "Row", index, values: value as Record<string, unknown> }
          : {
              _tag: "Malformed",
              error: context.client.decodeError({
                url: context.url,
                row: index,
                detail: "expected an object for the row",
                input: JSON.stringify(value) ?? ""
              })
            }
    )
  )

/**
 * The records of a CSV table (RFC 4180: quoted fields with commas, quotes and line breaks, CRLF or LF, a
 * UTF-8 BOM), keyed by the header's column names. A record whose width differs from the header's is
 * {@link Malformed}.
 *
 * @since 0.1.0
 * @category rows
 */
export const csvRows = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  context: RowContext
): Stream.Stream<RowOutcome, E | DecodeError> =>
  Stream.suspend(() => {
    let header: ReadonlyArray<string> | undefined
    return bytes.pipe(
      Stream.pipeThroughChannel(Csv.decode({ maxRecordSize: 16 * 1024 * 1024 })),
      Stream.mapError((error) =>
        Csv.isCsvError(error)
          ? context.client.decodeError({
              url: context.url,
              row: Math.max(0, error.record - 2),
              detail: `the file is not readable CSV at line ${error.line}: ${error.message}`,
              input: ""
            })
          : (error as E)
      ),
      Stream.filter((record) => {
        if (header !== undefined) return true
        header = record
        return false
      }),
      Stream.zipWithIndex,
      Stream.map(([record, index]): RowOutcome => {
        const columns = header!
        if (record.length !== columns.length) {
          return {
            _tag: "Malformed",
            error: context.client.decodeError({
              url: context.url,
              row: index,
              detail: `expected ${columns.length} fields, found ${record.length}`,
              input: record.join(",")
            })
          }
        }
        const values: Record<string, string> = {}
        for (let i = 0; i < columns.length; i++) values[columns[i]!] = record[i]!
        return { _tag: "Row", index, values }
      })
    )
  })

/**
 * Decodes one row with `schema`; a failure names the row and the column (the first key of the issue's
 * path) and quotes the offending value.
 *
 * @since 0.1.0
 * @category rows
 */
export const decodeRow = <S extends Schema.Decoder<unknown>>(
  schema: S,
  row: Row,
  context: RowContext
): Effect.Effect<S["Type"], DecodeError, S["DecodingServices"]> =>
  Schema.decodeUnknownEffect(schema)(row.values).pipe(
    Effect.mapError((error) => {
      const { message, path } = firstIssue(error.issue)
      const column = path[0] === undefined ? undefined : String(path[0])
      const value = column === undefined ? row.values : row.values[column]
      return context.client.decodeError({
        url: context.url,
        row: row.index,
        column,
        detail: message,
        input: typeof value === "string" ? value : (JSON.stringify(value) ?? "")
      })
    })
  )
