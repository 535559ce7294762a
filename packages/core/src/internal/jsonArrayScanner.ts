/**
 * Finds the elements of a JSON array in text that arrives in pieces, and parses each with `JSON.parse`.
 *
 * Only strings, escapes and bracket depth are tracked, so finding an element's end costs little more than
 * reading it; `JSON.parse` checks everything else. What is wrong with one element (invalid JSON, too
 * large, too deep) is that element's problem: it is reported and the next one is read. Only a break in the
 * array itself (no `[`, content after the `]`, the text ending before it) ends the scan.
 *
 * An element larger than the limit is not kept: its text is dropped as soon as it passes the limit and
 * the scan goes on to its end, so memory stays bounded whatever one element holds.
 */

import { deepestPath } from "./depth.ts"

const TAB = 9
const LF = 10
const CR = 13
const SPACE = 32
const QUOTE = 34
const COMMA = 44
const LBRACKET = 91
const BACKSLASH = 92
const RBRACKET = 93
const LBRACE = 123
const RBRACE = 125
const BOM = 0xfeff

// A copy of `text` that holds nothing else: a slice would keep its whole piece of the file (64 KiB of
// text, 128 KiB when it is not all ASCII) alive while the piece's rows are mapped, and the garbage
// collector would copy it on every young collection meanwhile, which is what makes V8 grow the young
// generation (and the process's memory) on long reads.
const detach = (text: string) => ` ${text}`.slice(1)

const detachedUpTo = 64 * 1024

const isWhitespace = (c: number) => c === SPACE || c === LF || c === CR || c === TAB

/** How far one element may go. */
export interface Limits {
  /** In characters of its text. */
  readonly maxElementSize: number
  /** Arrays and objects inside one another, the element itself counting as 1. */
  readonly maxDepth: number
}

/** What the scan makes of each element, in order. */
export interface Sink<A> {
  readonly value: (value: unknown) => A
  readonly invalid: (detail: string, text: string) => A
}

/** A break in the array itself, at a character offset of the text. */
export interface Failure {
  readonly detail: string
  readonly offset: number
}

/** The scanner of one text; `feed` its pieces in order, then `end`. */
export interface Scanner<A> {
  readonly feed: (text: string, out: Array<A>) => Failure | undefined
  readonly end: (out: Array<A>) => Failure | undefined
}

const BEFORE = 0
const ELEMENTS = 1
const AFTER = 2

const describe = (c: number) => JSON.stringify(String.fromCharCode(c))

/**
 * A scanner of one JSON array's text.
 */
export const make = <A>(limits: Limits, sink: Sink<A>): Scanner<A> => {
  const { maxElementSize, maxDepth } = limits
  const tooLarge = `the row is larger than the ${maxElementSize} characters allowed`
  const nestedTooDeep = `the row nests arrays and objects deeper than the ${maxDepth} levels allowed`
  let state = BEFORE
  /** The offset of the current piece in the whole text. */
  let base = 0
  /** Elements ended so far. */
  let ended = 0

  // The element being read. It starts right after `[` or `,` and ends before the next `,` or `]` outside
  // strings and brackets.
  let start = 0
  /** Its text from earlier pieces, while within the limit. */
  let carried = ""
  let spans = false
  let oversize = false
  let depth = 0
  let tooDeep = false
  let inString = false
  let escaped = false

  // Whole elements of the current piece, parsed together with one `JSON.parse` when they are all valid.
  const starts: Array<number> = []
  const ends: Array<number> = []

  const parseOne = (source: string, out: Array<A>) => {
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch (cause) {
      out.push(sink.invalid(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, source))
      return
    }
    out.push(sink.value(value))
  }

  const flush = (text: string, out: Array<A>) => {
    const count = starts.length
    if (count === 0) return
    let values: unknown
    if (count > 1) {
      try {
        values = JSON.parse(`[${text.slice(starts[0], ends[count - 1])}]`)
      } catch {
        // One of them is invalid: each is parsed on its own below, to tell which.
      }
    }
    if (Array.isArray(values) && values.length === count) {
      for (const value of values) out.push(sink.value(value))
    } else {
      for (let k = 0; k < count; k++) parseOne(text.slice(starts[k], ends[k]), out)
    }
    starts.length = 0
    ends.length = 0
  }

  const isBlank = (text: string, from: number, to: number) => {
    for (let k = from; k < to; k++) if (!isWhitespace(text.charCodeAt(k))) return false
    return true
  }

  const begin = (at: number) => {
    start = at
    carried = ""
    spans = false
    oversize = false
    depth = 0
    tooDeep = false
  }

  // The element ends at `end` of this piece, before a `,` or the closing `]`.
  const finish = (text: string, end: number, closing: boolean, out: Array<A>) => {
    const from = spans ? 0 : start - base
    const size = carried.length + end - from
    // `[]` and `[ ]`: no element at all.
    const empty = closing && ended === 0 && !oversize && isBlank(carried, 0, carried.length) && isBlank(text, from, end)
    if (empty) return
    ended++
    if (!spans && !tooDeep && size <= maxElementSize) {
      starts.push(from)
      ends.push(end)
      return
    }
    flush(text, out)
    if (oversize || size > maxElementSize) {
      out.push(sink.invalid(tooLarge, ""))
    } else if (tooDeep) {
      out.push(sink.invalid(nestedTooDeep, ""))
    } else {
      parseOne(carried + text.slice(0, end), out)
    }
  }

  // The piece ends inside the element: keep its text, unless that makes it too large.
  const carry = (text: string) => {
    const from = spans ? 0 : start - base
    if (!oversize && carried.length + text.length - from <= maxElementSize) {
      // Copied only while small: an element that spans many pieces would be copied again with each one.
      carried =
        carried.length + text.length - from <= detachedUpTo
          ? detach(carried + text.slice(from))
          : carried + text.slice(from)
    } else {
      oversize = true
      carried = ""
    }
    spans = true
  }

  // Reads string content from `i`; the index after the closing quote, or -1 when the piece ends first.
  const skipString = (text: string, i: number): number => {
    if (escaped) {
      if (i >= text.length) return -1
      escaped = false
      i++
    }
    for (;;) {
      const quote = text.indexOf('"', i)
      if (quote === -1) {
        let k = text.length
        while (k > i && text.charCodeAt(k - 1) === BACKSLASH) k--
        escaped = (text.length - k) % 2 === 1
        inString = true
        return -1
      }
      let k = quote
      while (k > i && text.charCodeAt(k - 1) === BACKSLASH) k--
      if ((quote - k) % 2 === 0) {
        inString = false
        return quote + 1
      }
      i = quote + 1
    }
  }

  // Where a run of whole elements from `i` seems to end: a `,` right after a `}`, as far into the piece
  // as can be found quickly. The search goes back by `}`, not by `,`: a piece that ends inside a wide row
  // has dozens of commas after the last row's end, and only a few braces. A wrong guess only makes the
  // one JSON.parse below fail.
  const lastBoundary = (text: string, i: number): number => {
    let brace = text.lastIndexOf("}")
    for (let tries = 0; tries < 8 && brace > i; tries++) {
      let k = brace + 1
      while (k < text.length && isWhitespace(text.charCodeAt(k))) k++
      if (text.charCodeAt(k) === COMMA) return k
      brace = text.lastIndexOf("}", brace - 1)
    }
    return -1
  }

  const count = (text: string, c: string) => {
    let n = 0
    for (let k = text.indexOf(c); k !== -1; k = text.indexOf(c, k + 1)) n++
    return n
  }

  // The fast way through a piece: the whole elements from `i` in one JSON.parse. It succeeds only when
  // the text up to the boundary is a run of valid elements, which are then within the size limit (the
  // run is) and checked for depth. Returns the index after the run's last comma, or `i`.
  const run = (text: string, i: number, out: Array<A>): number => {
    const boundary = lastBoundary(text, i)
    if (boundary === -1 || boundary - i > maxElementSize) return i
    flush(text, out)
    const source = text.slice(i, boundary)
    let values: unknown
    try {
      values = JSON.parse(`[${source}]`)
    } catch {
      return i
    }
    if (!Array.isArray(values)) return i
    // Fewer brackets than the limit in the whole run: no element can be too deep.
    const shallow = count(source, "{") + count(source, "[") <= maxDepth
    for (const value of values) {
      out.push(
        shallow || deepestPath(value, maxDepth) === undefined ? sink.value(value) : sink.invalid(nestedTooDeep, "")
      )
    }
    ended += values.length
    begin(base + boundary + 1)
    return boundary + 1
  }

  // Reads elements from `i`; the index after the closing `]`, or the piece's length.
  const elements = (text: string, i: number, out: Array<A>): number => {
    const length = text.length
    if (inString) {
      i = skipString(text, i)
      if (i === -1) i = length
    }
    let tried = false
    while (i < length) {
      if (!tried && !spans && depth === 0 && !inString && i === start - base) {
        tried = true
        i = run(text, i, out)
        if (i === length) break
      }
      const c = text.charCodeAt(i)
      if (c === QUOTE) {
        i = skipString(text, i + 1)
        if (i === -1) i = length
      } else if (c === LBRACKET || c === LBRACE) {
        if (++depth > maxDepth) tooDeep = true
        i++
      } else if (c === RBRACKET || c === RBRACE) {
        if (depth > 0) depth--
        else if (c === RBRACKET) {
          finish(text, i, true, out)
          flush(text, out)
          state = AFTER
          return i + 1
        }
        // A stray `}` stays in the element, which JSON.parse then rejects.
        i++
      } else if (c === COMMA && depth === 0) {
        finish(text, i, false, out)
        begin(base + i + 1)
        i++
      } else {
        i++
      }
    }
    flush(text, out)
    carry(text)
    return length
  }

  const feed = (text: string, out: Array<A>): Failure | undefined => {
    const length = text.length
    let i = 0
    if (state === BEFORE) {
      while (i < length) {
        const c = text.charCodeAt(i)
        if (!(isWhitespace(c) || (c === BOM && base + i === 0))) break
        i++
      }
      if (i < length) {
        const c = text.charCodeAt(i)
        if (c !== LBRACKET) return { detail: `expected a JSON array, found ${describe(c)}`, offset: base + i }
        state = ELEMENTS
        i++
        begin(base + i)
      }
    }
    if (state === ELEMENTS) i = elements(text, i, out)
    if (state === AFTER) {
      for (; i < length; i++) {
        const c = text.charCodeAt(i)
        if (!isWhitespace(c)) return { detail: `unexpected ${describe(c)} after the array`, offset: base + i }
      }
    }
    base += length
    return undefined
  }

  const end = (): Failure | undefined => {
    if (state === AFTER) return undefined
    return {
      detail: state === BEFORE ? "the file is empty, not a JSON array" : "the file ends before the array closes",
      offset: base
    }
  }

  return { feed, end }
}
