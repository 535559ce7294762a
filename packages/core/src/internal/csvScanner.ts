/**
 * Splits CSV text (RFC 4180: quoted fields with commas, quotes and line breaks, CRLF or LF) that arrives
 * in pieces into records. The first record is the header; every other must have its width.
 *
 * What is wrong with one record (too large, the wrong width, a quote out of place) is that record's
 * problem: it is reported and the next one is read, for a record's end is found whatever it holds. Only a
 * quoted field still open when the text ends breaks the file. A record larger than the limit is dropped
 * piece by piece while the scan goes on to its end, so memory stays bounded whatever one record holds.
 */

const LF = 10
const CR = 13
// A field as a string of its own. V8 makes a slice of 13 characters or more a view of the whole piece of
// the file (64 KiB of text, 128 KiB when it is not all ASCII): the rows being mapped would keep their
// piece alive, the garbage collector would copy it on every young collection meanwhile, which is what
// makes V8 grow the young generation (and the process's memory) on long reads, and a consumer that keeps
// events would keep whole pieces. A shorter slice is a copy already.
const detach = (value: string) => (value.length < 13 ? value : ` ${value}`.slice(1))

const detachedUpTo = 64 * 1024

const QUOTE = 34
const COMMA = 44

/** A record that cannot be used: why, and its text as far as it was kept. */
export interface Broken {
  readonly detail: string
  readonly text: string
}

/** A break in the file itself, in the record numbered `record` (0 is the header). */
export interface Failure {
  readonly detail: string
  readonly record: number
}

/** The scanner of one file; `feed` its pieces in order, then `end`. The header comes out first. */
export interface Scanner {
  readonly feed: (text: string, out: Array<ReadonlyArray<string> | Broken>) => void
  readonly end: (out: Array<ReadonlyArray<string> | Broken>) => Failure | undefined
}

const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_IN_QUOTED = 3

/**
 * A scanner of one CSV file whose records may be at most `maxRecordSize` characters long.
 */
export const make = (maxRecordSize: number): Scanner => {
  let state = FIELD_START
  let field = ""
  let cells: Array<string> = []
  /** Fields of the record so far, kept or not. */
  let count = 0
  /** The header's width, once it has been read. */
  let width = -1
  let records = 0
  /** The size of the record before the current piece. */
  let size = 0
  let oversize = false
  let problem: string | undefined
  /** A CR ended the previous record, so a leading LF completes a CRLF. */
  let skipLF = false

  const push = (value: string) => {
    // Past the header's width a field is only counted: a record of a million commas holds nothing.
    if (width === -1 || count < width) cells.push(detach(value))
    count++
  }

  const endRecord = (recordSize: number, out: Array<ReadonlyArray<string> | Broken>) => {
    if (oversize || recordSize > maxRecordSize) {
      out.push({ detail: `the row is larger than the ${maxRecordSize} characters allowed`, text: "" })
    } else if (problem !== undefined) {
      out.push({ detail: problem, text: cells.join(",") })
    } else if (width !== -1 && count !== width) {
      out.push({ detail: `expected ${width} fields, found ${count}`, text: cells.join(",") })
    } else {
      if (width === -1) width = count
      out.push(cells)
    }
    records++
    cells = []
    count = 0
    size = 0
    oversize = false
    problem = undefined
  }

  const feed = (text: string, out: Array<ReadonlyArray<string> | Broken>) => {
    const length = text.length
    let i = 0
    // The current record starts at `start` in this piece, so its size at `i` is `size + i - start`.
    let start = 0
    let current = state
    let value = field
    while (i < length) {
      if (current === FIELD_START) {
        if (skipLF) {
          skipLF = false
          if (text.charCodeAt(i) === LF) {
            start = ++i
            continue
          }
        }
        if (text.charCodeAt(i) === QUOTE) {
          current = QUOTED
          i++
          continue
        }
        current = UNQUOTED
      }
      if (current === UNQUOTED) {
        let j = i
        let c = 0
        while (j < length) {
          c = text.charCodeAt(j)
          if (c === COMMA || c === CR || c === LF || c === QUOTE) break
          j++
        }
        if (c === QUOTE) {
          // Kept as a character of the field, so the record's end is still found.
          problem ??= "a quote inside an unquoted field"
          value += text.slice(i, j + 1)
          i = j + 1
          continue
        }
        if (j > i) value = value === "" ? text.slice(i, j) : value + text.slice(i, j)
        if (j === length) {
          i = j
          break
        }
        push(value)
        value = ""
        current = FIELD_START
        i = j + 1
        if (c !== COMMA) {
          endRecord(size + j - start, out)
          skipLF = c === CR
          start = i
        }
        continue
      }
      if (current === QUOTED) {
        const quote = text.indexOf('"', i)
        const j = quote === -1 ? length : quote
        if (j > i) value += text.slice(i, j)
        if (quote === -1) {
          i = j
          break
        }
        current = QUOTE_IN_QUOTED
        i = j + 1
        continue
      }
      const c = text.charCodeAt(i)
      if (c === QUOTE) {
        value += '"'
        current = QUOTED
        i++
      } else if (c === COMMA || c === CR || c === LF) {
        push(value)
        value = ""
        current = FIELD_START
        i++
        if (c !== COMMA) {
          endRecord(size + i - 1 - start, out)
          skipLF = c === CR
          start = i
        }
      } else {
        // The rest of the field is read as unquoted text, so the record's end is still found.
        problem ??= "text after the closing quote of a field"
        current = UNQUOTED
      }
    }
    state = current
    size += length - start
    if (size > maxRecordSize) {
      oversize = true
      value = ""
      cells = []
    }
    // Copied only while small: a field that spans many pieces would be copied again with each one.
    field = value.length <= detachedUpTo ? detach(value) : value
  }

  const end = (out: Array<ReadonlyArray<string> | Broken>): Failure | undefined => {
    if (state === QUOTED) return { detail: "the file ends inside a quoted field", record: records }
    if (size > 0 || count > 0) {
      push(field)
      field = ""
      state = FIELD_START
      endRecord(size, out)
    }
    return undefined
  }

  return { feed, end }
}
