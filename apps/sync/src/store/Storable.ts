/**
 * What both backends can keep. PostgreSQL refuses a text or `jsonb` value holding U+0000 or a lone
 * UTF-16 surrogate (half of a pair), and refuses the whole batch with it, on every rerun; SQLite would
 * keep it, or quietly replace it. The store keeps the same thing on both: an event with such a string
 * anywhere is kept aside as a located `DecodeError`, like a malformed row, and the rest of its batch
 * is stored.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { type Feed, Http, Redaction, SourceError } from "@electfeed/core"

/**
 * A character no backend may be given, and where.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flaw {
  readonly index: number
  /** `U+0000 (NUL)`, `a lone surrogate U+D800`. */
  readonly what: string
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is looked for
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const codePoint = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`

/**
 * The first character of `text` no backend may be given, if any.
 *
 * @since 0.1.0
 * @category checking
 */
export const flawOf = (text: string): Flaw | undefined => {
  const found = unstorable.exec(text)
  if (found === null) return undefined
  const char = found[0]
  return { index: found.index, what: char === "\u0000" ? "U+0000 (NUL)" : `a lone surrogate ${codePoint(char)}` }
}

/**
 * Whether every character of `text` can be given to both backends.
 *
 * @since 0.1.0
 * @category checking
 */
export const isStorable = (text: string): boolean => text.isWellFormed() && !text.includes("\u0000")

/**
 * `text` with every character no backend may be given written out as `\uXXXX`.
 *
 * @since 0.1.0
 * @category checking
 */
export const escapeFlaws = (text: string): string =>
  isStorable(text)
    ? text
    : text.replace(
        new RegExp(unstorable.source, "g"),
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
      )

/**
 * Where a flawed string is in a value: its path (ending with the key itself when the key is flawed).
 *
 * @since 0.1.0
 * @category models
 */
export interface Found extends Flaw {
  readonly path: ReadonlyArray<PropertyKey>
  readonly text: string
}

/** A value met in the walk, and how it was reached: its paths are built only for the one flawed. */
interface Step {
  readonly value: unknown
  readonly key: PropertyKey | undefined
  readonly parent: Step | undefined
}

const pathOf = (step: Step): Array<PropertyKey> => {
  const path: Array<PropertyKey> = []
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.push(at.key)
  return path.reverse()
}

const found = (text: string, path: ReadonlyArray<PropertyKey>): Found => ({ ...flawOf(text)!, path, text })

/**
 * The first flawed string in `value`, keys included. The walk keeps its own stack: upstream data can be
 * nested deeper than the call stack allows.
 *
 * @since 0.1.0
 * @category checking
 */
export const findFlaw = (value: unknown): Found | undefined => {
  const stack: Array<Step> = [{ value, key: undefined, parent: undefined }]
  while (stack.length > 0) {
    const step = stack.pop()!
    const current = step.value
    if (typeof current === "string") {
      if (!isStorable(current)) return found(current, pathOf(step))
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: i, parent: step })
    } else if (typeof current === "object" && current !== null) {
      const keys = Object.keys(current)
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!
        if (!isStorable(key)) return found(key, [...pathOf(step), key])
        stack.push({ value: (current as Record<string, unknown>)[key], key, parent: step })
      }
    }
  }
  return undefined
}

const excerptAround = (found: Found) => escapeFlaws(found.text.slice(Math.max(0, found.index - 24), found.index + 24))

/**
 * Why `event` cannot be stored, as a `DecodeError` located by the event's stream and key and the path of
 * the flawed string in it (`$["dataset:1253"]["cand-7"].data.name`), with an excerpt showing the
 * character escaped; `undefined` when every string of it (stream, key, provenance, data) can be stored.
 *
 * @since 0.1.0
 * @category checking
 */
export const rejection = (source: string, event: Feed.FeedEvent): SourceError.DecodeError | undefined => {
  const found = findFlaw({ stream: event.stream, key: event.key, provenance: event.provenance, data: event.data })
  if (found === undefined) return undefined
  const [field, ...inside] = found.path
  // JSON path notation writes every flawed key escaped.
  const path = Http.formatPath([event.stream, event.key, field!, ...inside])
  return new SourceError.DecodeError({
    source,
    url: escapeFlaws(Redaction.redactUrl(event.provenance.url)),
    path,
    detail: `the ${event.kind} ${escapeFlaws(event.key)} of stream ${escapeFlaws(event.stream)} has ${found.what} in a string, which the store cannot keep`,
    excerpt: excerptAround(found)
  })
}

/**
 * A skipped row's error as both backends can keep it: flawed characters in its strings escaped.
 *
 * @since 0.1.0
 * @category checking
 */
export const storableError = (error: SourceError.DecodeError): SourceError.DecodeError =>
  new SourceError.DecodeError({
    source: escapeFlaws(error.source),
    url: escapeFlaws(error.url),
    ...(error.path === undefined ? {} : { path: escapeFlaws(error.path) }),
    ...(error.row === undefined ? {} : { row: error.row }),
    ...(error.column === undefined ? {} : { column: escapeFlaws(error.column) }),
    detail: escapeFlaws(error.detail),
    excerpt: escapeFlaws(error.excerpt)
  })

/**
 * Where a skipped row was, as a key: the SHA-256 of its URL (without signature, so a presigned link
 * renewed on a rerun is the same place), path, row and column, as {@link storableError} keeps them. A
 * rerun that reads the row again finds it stored already.
 *
 * @since 0.1.0
 * @category checking
 */
export const location = (error: SourceError.DecodeError): string =>
  createHash("sha256")
    .update(
      JSON.stringify([
        escapeFlaws(Redaction.redactUrl(error.url)),
        error.path === undefined ? null : escapeFlaws(error.path),
        error.row ?? null,
        error.column === undefined ? null : escapeFlaws(error.column)
      ])
    )
    .digest("hex")
