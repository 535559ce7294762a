/**
 * XML read as it streams (saxes), bounded: UTF-8 only (a byte that is not is an error), no DOCTYPE (so
 * no entity expansion), at most `maxDepth` open elements, and at most `maxRun` characters between two
 * events (a huge text node or tag is refused before it is held). Every failure says where: the line and
 * column in the document.
 */
import { SaxesParser } from "saxes"

/** What the document's elements are told to; each may refuse them with why. */
export interface Handler {
  readonly open: (name: string, attributes: Readonly<Record<string, string>>) => string | undefined
  readonly close: (name: string) => string | undefined
  readonly text: (text: string) => string | undefined
}

/** Why the document cannot be read, and where. */
export interface Failure {
  readonly detail: string
  readonly line: number
  readonly column: number
}

/** A document being read: `write` each piece of its bytes, then `end`. */
export interface Reader {
  readonly write: (bytes: Uint8Array) => Failure | undefined
  readonly end: () => Failure | undefined
}

/** The bounds of a document. */
export interface Limits {
  readonly maxDepth: number
  readonly maxRun: number
}

// Bytes are decoded, and handed to the parser, this many at a time: `maxRun` is checked that often, and
// each piece of text stays a small string that V8 collects young (a string of more than ~128 KB goes to
// the large-object space, freed only by a full collection: memory then grows with the file).
const piece = 16 * 1024

/** A reader of one document into `handler`. */
export const reader = (handler: Handler, limits: Limits): Reader => {
  const decoder = new TextDecoder("utf-8", { fatal: true })
  const parser = new SaxesParser({ xmlns: false, position: true })
  let failure: Failure | undefined
  let depth = 0
  let lastEvent = 0
  const fail = (detail: string | undefined) => {
    if (detail !== undefined && failure === undefined) {
      failure = { detail, line: parser.line, column: parser.column }
    }
  }
  const seen = () => {
    lastEvent = parser.position
    return failure === undefined
  }
  parser.on("opentag", (tag) => {
    if (!seen()) return
    if (++depth > limits.maxDepth) fail(`elements nest deeper than the ${limits.maxDepth} levels allowed`)
    else fail(handler.open(tag.name, tag.attributes))
  })
  parser.on("closetag", (tag) => {
    if (!seen()) return
    depth--
    fail(handler.close(tag.name))
  })
  parser.on("text", (text) => {
    if (seen()) fail(handler.text(text))
  })
  parser.on("doctype", () => fail("a DOCTYPE, which this document never has"))
  parser.on("error", (error) => fail(`not well-formed XML: ${error.message.replace(/^[^:]*:\d+:\d+: /, "")}`))
  const feed = (text: string) => {
    parser.write(text)
    if (failure === undefined && parser.position - lastEvent > limits.maxRun) {
      fail(`more than ${limits.maxRun} characters of one text or tag`)
    }
    return failure
  }
  const decode = (bytes: Uint8Array | undefined) => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true })
    } catch {
      fail("bytes that are not UTF-8")
      return ""
    }
  }
  return {
    write: (bytes) => {
      for (let at = 0; failure === undefined && at < bytes.byteLength; at += piece) {
        const text = decode(bytes.subarray(at, at + piece))
        if (failure === undefined) feed(text)
      }
      return failure
    },
    end: () => {
      if (failure === undefined) feed(decode(undefined))
      if (failure === undefined) parser.close()
      return failure
    }
  }
}
