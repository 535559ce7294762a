/**
 * What a download asks of a file host and reads of its answers: the request for the next bytes, which
 * version of the file a response holds, where it starts and how large the file is, and whether it is the
 * kind of file asked for (not an error page served with 200).
 */
import { Effect, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import type { Validators } from "../Download.ts"
import type { Opened } from "../Http.ts"
import type { SourceError } from "../SourceError.ts"

/**
 * The kind of file a download must be: checked against the response's content type and first bytes.
 */
export type Expect = "json-array" | "csv"

const labels: Record<Expect, string> = { "json-array": "JSON array", csv: "CSV" }

const markup = new Set(["text/html", "application/xhtml+xml", "text/xml", "application/xml"])

/** Why a response of this content type is not the file asked for; `undefined` when it may be. */
export const contentTypeProblem = (expect: Expect, contentType: string | undefined): string | undefined => {
  const media = contentType?.split(";")[0]?.trim().toLowerCase()
  return media !== undefined && markup.has(media)
    ? `the host sent ${media} where a ${labels[expect]} file was expected`
    : undefined
}

const utf8 = new TextDecoder("utf-8")
const byteOrderMark = [0xef, 0xbb, 0xbf]
const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d
// A body that is still blank after this many bytes is left to the decoder.
const lookAhead = 64 * 1024

/**
 * Looks at the first bytes of a file as its pieces arrive, skipping a byte-order mark and white space:
 * a JSON array must start with `[`, a CSV file must not start like HTML or XML. Gives why the file is not
 * what was asked for, with the text where that shows, once; `undefined` otherwise.
 */
export const firstBytes = (expect: Expect) => {
  let seen = 0
  let mark = 0
  let decided = false
  return (chunk: Uint8Array): { readonly detail: string; readonly excerpt: string } | undefined => {
    for (let index = 0; !decided && index < chunk.byteLength; index++, seen++) {
      const byte = chunk[index]!
      if (seen === mark && byte === byteOrderMark[mark]) {
        mark++
        continue
      }
      if (isSpace(byte)) {
        if (seen >= lookAhead) decided = true
        continue
      }
      decided = true
      const bad = expect === "json-array" ? byte !== 0x5b : byte === 0x3c
      if (bad) {
        return {
          detail:
            expect === "json-array"
              ? "the file does not start with a JSON array"
              : "the file starts like HTML or XML, not CSV",
          excerpt: utf8.decode(chunk.subarray(index, index + 256))
        }
      }
    }
    return undefined
  }
}

/** The total size in a `Content-Range` header: 1000 in `bytes 0-99/1000` and in a 416's `bytes *\/1000`. */
export const contentRangeTotal = (value: string | undefined): number | undefined => {
  const match = /\/(\d+)\s*$/.exec(value ?? "")
  return match ? Number(match[1]) : undefined
}

/** The first byte in a `Content-Range` header. */
export const contentRangeStart = (value: string | undefined): number | undefined => {
  const match = /^\s*bytes\s+(\d+)-/.exec(value ?? "")
  return match ? Number(match[1]) : undefined
}

/** The request for the file from byte `offset`; from the first byte, only if it changed since `known`. */
export const requestFor = (
  link: string,
  offset: number,
  version: Validators,
  known: Validators | undefined
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.get(link).pipe(HttpClientRequest.setHeader("accept-encoding", "identity"))
  if (offset > 0) {
    const ifRange = version.etag ?? version.lastModified
    return HttpClientRequest.setHeaders(request, {
      range: `bytes=${offset}-`,
      ...(ifRange === undefined ? {} : { "if-range": ifRange })
    })
  }
  if (known?.etag !== undefined) return HttpClientRequest.setHeader(request, "if-none-match", known.etag)
  if (known?.lastModified !== undefined) {
    return HttpClientRequest.setHeader(request, "if-modified-since", known.lastModified)
  }
  return request
}

/** The validators a response carries. */
export const validatorsOf = (headers: Readonly<Record<string, string | undefined>>): Validators => ({
  etag: headers["etag"],
  lastModified: headers["last-modified"]
})

/** Whether two sets of validators name the same version of a file. */
export const sameVersion = (a: Validators, b: Validators): boolean =>
  a.etag !== undefined ? a.etag === b.etag : a.lastModified !== undefined && a.lastModified === b.lastModified

/** The size of the whole file as a response announces it, if it does; `offset` is where a 206 starts. */
export const announcedSize = (response: Opened, offset: number): number | undefined => {
  if (response.status === 206) {
    const total = contentRangeTotal(response.headers["content-range"])
    if (total !== undefined) return total
  }
  const length = Number(response.headers["content-length"] ?? Number.NaN)
  return Number.isFinite(length) ? length + (response.status === 206 ? offset : 0) : undefined
}

// How much of a refusal's body is read to tell an expired link from a denied one.
const maxRefusalBytes = 64 * 1024

/** The start of a refusal's body, as text: enough to recognise it, however long the body. */
export const refusalText = (body: Stream.Stream<Uint8Array, SourceError>): Effect.Effect<string, SourceError> =>
  Effect.suspend(() => {
    let size = 0
    return body.pipe(
      Stream.takeWhile((chunk) => {
        size += chunk.byteLength
        return size - chunk.byteLength < maxRefusalBytes
      }),
      Stream.decodeText(),
      Stream.mkString
    )
  })
