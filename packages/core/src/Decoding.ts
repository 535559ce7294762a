/**
 * Reading rows out of large bodies, one at a time, with every problem located.
 *
 * A bulk file is a JSON array of row objects or a CSV table with a header. Both are streamed so no file
 * is ever held whole. A row that cannot be used (invalid, the wrong width, too large, nested too deep) is
 * a {@link Malformed} value, not a failure, so the rows after it still flow; a break in the file's
 * structure, after which no row can be found, fails the stream with a `DecodeError` at its offset.
 *
 * Values from upstream are bounded before anything recurses over them: a JSON row may nest at most 64
 * levels, and {@link isWithinDepth} checks the same of any decoded body. A whole body of JSON text is
 * decoded by {@link decodeJsonText}.
 *
 * @since 0.1.0
 */
import { Array as Arr, Cause, Effect, Exit, Predicate, Pull, Schema, SchemaAST, Stream } from "effect"
import { stableJson } from "./Feed.ts"
import type { Client } from "./Http.ts"
import * as CsvScanner from "./internal/csvScanner.ts"
import { deepestPath } from "./internal/depth.ts"
import * as FastDecode from "./internal/fastDecode.ts"
import * as JsonArrayScanner from "./internal/jsonArrayScanner.ts"
import * as JsonText from "./internal/jsonText.ts"
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
 * How much one row may hold. A row past a limit is {@link Malformed} and the rows after it are read; its
 * text is let go as the limit is passed, so memory stays bounded whatever one row holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowLimits {
  /** The most characters one row's text may have. Default 16 MiB. */
  readonly maxRowSize?: number | undefined
  /** How deeply a JSON row may nest arrays and objects, the row itself being 1. Default 64. */
  readonly maxDepth?: number | undefined
}

// The default longest row, in characters.
const maxRowSize = 16 * 1024 * 1024

// The default deepest nesting of arrays and objects in a value from upstream.
const maxDepth = 64

/**
 * A schema check that a value nests arrays and objects at most `depth` levels (default 64; a
 * scalar is 0, `[1]` is 1). It walks the value without recursion, so a value of any depth is checked
 * safely, and fails at the path where the value goes too deep. Put it on the parts of a body a schema
 * keeps as they come (`Schema.Unknown`), before they are written out or walked.
 *
 * @since 0.1.0
 * @category limits
 */
export const isWithinDepth = (depth: number = maxDepth) =>
  Schema.makeFilter<unknown>(
    (value) => {
      const path = deepestPath(value, depth)
      return path === undefined || { path, issue: `nested deeper than the ${depth} levels allowed` }
    },
    { expected: `a value nested at most ${depth} levels deep` }
  )

/**
 * Parses JSON text and decodes it with `schema`. On failure, `onError` gets what went wrong, the offset
 * in the text where it can be seen, and the JSON path of the value. A value nested too deeply for the
 * schema to walk is a failure too, never a defect.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeJsonText: <S extends Schema.Top, E>(
  schema: S,
  text: string,
  onError: (detail: string, offset: number, path: string | undefined) => E
) => Effect.Effect<S["Type"], E, S["DecodingServices"]> = JsonText.decodeJsonText

// A value as a short text for an error's excerpt; `stableJson` writes any depth.
const excerptOf = (value: unknown): string => (typeof value === "string" ? value : (stableJson(value) ?? ""))

interface Scan<A> {
  readonly feed: (text: string, out: Array<A>) => DecodeError | undefined
  readonly end: (out: Array<A>) => DecodeError | undefined
}

// Runs a scan over the text of `bytes`, emitting what each piece completes.
const scanText = <A, E>(bytes: Stream.Stream<Uint8Array, E>, scan: Scan<A>): Stream.Stream<A, E | DecodeError> =>
  Stream.transformPull(Stream.decodeText(bytes), (upstream) =>
    Effect.sync(() => {
      let done: Effect.Effect<never, Cause.Done> | undefined
      const emit = (run: (out: Array<A>) => DecodeError | undefined) => {
        const out: Array<A> = []
        const failure = run(out)
        if (failure !== undefined) return Effect.fail(failure)
        return Arr.isArrayNonEmpty(out) ? Effect.succeed(out) : pull
      }
      const pull: Pull.Pull<Arr.NonEmptyReadonlyArray<A>, E | DecodeError> = Effect.suspend(() =>
        done !== undefined
          ? done
          : Pull.matchEffect(upstream, {
              onSuccess: (texts) =>
                emit((out) => {
                  for (const text of texts) {
                    const failure = scan.feed(text, out)
                    if (failure !== undefined) return failure
                  }
                  return undefined
                }),
              onFailure: Effect.failCause,
              onDone: () => {
                done = Cause.done()
                return emit(scan.end)
              }
            })
      )
      return pull
    })
  )

/**
 * The elements of a JSON array of objects. An element that is not an object, is not valid JSON, or is
 * past a limit is {@link Malformed}.
 *
 * @since 0.1.0
 * @category rows
 */
export const jsonArrayRows = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  context: RowContext,
  limits?: RowLimits
): Stream.Stream<RowOutcome, E | DecodeError> =>
  Stream.suspend(() => {
    let index = 0
    const malformed = (detail: string, input: string): RowOutcome => ({
      _tag: "Malformed",
      error: context.client.decodeError({ url: context.url, row: index++, detail, input })
    })
    const scanner = JsonArrayScanner.make<RowOutcome>(
      { maxElementSize: limits?.maxRowSize ?? maxRowSize, maxDepth: limits?.maxDepth ?? maxDepth },
      {
        value: (value) =>
          Predicate.isObject(value) && !Array.isArray(value)
            ? { _tag: "Row", index: index++, values: value as Record<string, unknown> }
            : malformed("expected an object for the row", excerptOf(value)),
        invalid: malformed
      }
    )
    const failed = (failure: JsonArrayScanner.Failure | undefined) =>
      failure === undefined
        ? undefined
        : context.client.decodeError({
            url: context.url,
            detail: `the file is not a readable JSON array at character ${failure.offset}: ${failure.detail}`,
            input: ""
          })
    return scanText(bytes, {
      feed: (text, out) => failed(scanner.feed(text, out)),
      end: (out) => failed(scanner.end(out))
    })
  })

/**
 * The records of a CSV table (RFC 4180: quoted fields with commas, quotes and line breaks, CRLF or LF, a
 * UTF-8 BOM), keyed by the header's column names. A record whose width differs from the header's, with a
 * quote out of place, or past the size limit is {@link Malformed}.
 *
 * @since 0.1.0
 * @category rows
 */
export const csvRows = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  context: RowContext,
  limits?: RowLimits
): Stream.Stream<RowOutcome, E | DecodeError> =>
  Stream.suspend(() => {
    const scanner = CsvScanner.make(limits?.maxRowSize ?? maxRowSize)
    const records: Array<ReadonlyArray<string> | CsvScanner.Broken> = []
    let header: ReadonlyArray<string> | undefined
    // Each row is a copy of an object of the header's names whose values are then set. A copy keeps the
    // object's shape, where dozens of computed names added one by one make every row a slow dictionary
    // object. `JSON.parse` makes every name an own data property, a `__proto__` column's too, so setting
    // it never touches the prototype.
    let template: Readonly<Record<string, string>> = {}
    let index = 0
    const unreadable = (detail: string, row?: number) =>
      context.client.decodeError({
        url: context.url,
        row,
        detail: `the file is not readable CSV: ${detail}`,
        input: ""
      })
    const rows = (out: Array<RowOutcome>): DecodeError | undefined => {
      for (const record of records) {
        if (!Array.isArray(record)) {
          const { detail, text } = record as CsvScanner.Broken
          if (header === undefined) return unreadable(`the header row: ${detail}`)
          const error = context.client.decodeError({ url: context.url, row: index++, detail, input: text })
          out.push({ _tag: "Malformed", error })
        } else if (header === undefined) {
          header = record
          template = JSON.parse(JSON.stringify(Object.fromEntries(record.map((column) => [column, ""]))))
        } else {
          const columns = header
          const values: Record<string, string> = { ...template }
          for (let i = 0; i < columns.length; i++) values[columns[i]!] = record[i]!
          out.push({ _tag: "Row", index: index++, values })
        }
      }
      records.length = 0
      return undefined
    }
    return scanText(bytes, {
      feed: (text, out) => {
        scanner.feed(text, records)
        return rows(out)
      },
      end: (out) => {
        const failure = scanner.end(records)
        return failure === undefined ? rows(out) : unreadable(failure.detail, Math.max(0, failure.record - 1))
      }
    })
  })

type Decode<S extends Schema.Top> = (
  input: unknown
) => Effect.Effect<S["Type"], Schema.SchemaError, S["DecodingServices"]>

const isBare = (ast: SchemaAST.AST) => ast.checks === undefined && ast.encoding === undefined

// `Schema.Record(Schema.String, Schema.Unknown)` takes any object as it is. A connector whose mapping
// decodes the columns itself gives it for the row, and running it would only copy each row's keys.
const keepsAnyObject = (ast: SchemaAST.AST): boolean => {
  if (!SchemaAST.isObjects(ast) || !isBare(ast) || ast.encodingChecks !== undefined) return false
  const [index, ...more] = ast.indexSignatures
  return (
    ast.propertySignatures.length === 0 &&
    index !== undefined &&
    more.length === 0 &&
    SchemaAST.isString(index.parameter) &&
    isBare(index.parameter) &&
    SchemaAST.isUnknown(index.type) &&
    isBare(index.type)
  )
}

// Each schema's decoder, made once: rows are decoded by the million.
const decoders = new WeakMap<Schema.Top, Decode<Schema.Top>>()

const decoderOf = <S extends Schema.Decoder<unknown>>(schema: S): Decode<S> => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    const full: Decode<S> = Schema.decodeUnknownEffect(schema)
    const fast = FastDecode.of(schema.ast)
    decoder = keepsAnyObject(schema.ast)
      ? (input) => (Predicate.isObject(input) && !Array.isArray(input) ? Exit.succeed(input) : full(input))
      : fast === undefined
        ? full
        : (input) => {
            const value = fast(input)
            return value === FastDecode.unsure ? full(input) : Exit.succeed(value)
          }
    decoders.set(schema, decoder)
  }
  return decoder as Decode<S>
}

/**
 * What a fast decoder ({@link withFastDecode}) returns for an input it leaves to the schema.
 *
 * @since 0.2.0
 * @category fast decoding
 */
export const unsure: FastDecode.Unsure = FastDecode.unsure

/**
 * @since 0.2.0
 * @category fast decoding
 */
export type Unsure = FastDecode.Unsure

/**
 * Gives `schema` a plain function that decodes the common inputs as the schema does, for rows decoded by
 * the million: {@link decodeRow} then decodes a struct whose every field, or a record whose values, have
 * one without running the schema, and runs the schema on a row only when a cell's function returns
 * {@link unsure} (so that a bad cell is reported exactly as the schema reports it). `fast` must give the
 * schema's value or `unsure`, never anything else: derive it from the same predicates as the schema.
 * A schema derived from `schema` (a refinement, a transformation) does not have it.
 *
 * @since 0.2.0
 * @category fast decoding
 */
export const withFastDecode: <S extends Schema.Top>(schema: S, fast: (input: unknown) => S["Type"] | Unsure) => S =
  FastDecode.register

/**
 * The fast decoder `schema` was given with {@link withFastDecode}, or compiled for a struct of such
 * cells; `undefined` when it has none. A connector's own cell builds on a core cell's this way.
 *
 * @since 0.2.0
 * @category fast decoding
 */
export const fastDecoderOf = <S extends Schema.Top>(schema: S): ((input: unknown) => S["Type"] | Unsure) | undefined =>
  FastDecode.of(schema.ast) as ((input: unknown) => S["Type"] | Unsure) | undefined

// Untraced on purpose: it runs once per row, and a span per row would cost more than the decoding.
/**
 * Decodes one row with `schema`; a failure names the row and the column (the first key of the issue's
 * path) and quotes the offending value. The schema's decoder is made once, with a fast path when its
 * cells have fast decoders ({@link withFastDecode}); a schema that decodes
 * synchronously gives an `Exit`, which the eager combinators (`Effect.mapEager`, `Effect.flatMapEager`)
 * take without running the effect runtime, so a bulk read spends nothing per row on effects.
 *
 * @since 0.1.0
 * @category rows
 */
export const decodeRow = <S extends Schema.Decoder<unknown>>(
  schema: S,
  row: Row,
  context: RowContext
): Effect.Effect<S["Type"], DecodeError, S["DecodingServices"]> =>
  Effect.mapErrorEager(decoderOf(schema)(row.values), (error) => {
    const { message, path } = JsonText.firstIssue(error.issue)
    const column = path[0] === undefined ? undefined : String(path[0])
    const value = column === undefined ? row.values : row.values[column]
    return context.client.decodeError({
      url: context.url,
      row: row.index,
      column,
      detail: message,
      input: excerptOf(value)
    })
  })
