/**
 * One entry of a zip, inflated as the zip streams in (fflate's streaming `Unzip`), bounded: the entry's
 * name only picks it (nothing is ever written by name), its inflated size is capped (a zip bomb stops at
 * the cap), and compressed input is handed to the inflater in small pieces, so that no single piece can
 * inflate to more than a few MB at once.
 */
import { Unzip, UnzipInflate } from "fflate"

/** Where the inflated bytes go; each may refuse them with why. */
export interface Sink {
  readonly data: (bytes: Uint8Array) => string | undefined
  readonly end: () => string | undefined
}

/** A zip being read: `push` each piece, then `end`; either gives why the zip cannot be read. */
export interface EntryReader {
  readonly push: (bytes: Uint8Array) => string | undefined
  readonly end: () => string | undefined
}

// Deflate inflates at most ~1032 to 1: 16 KiB of input is at most ~17 MB of output in one go.
const piece = 16 * 1024

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Reads the first entry whose base name is `name` (any case) into `sink`, and skips every other entry.
 */
export const readEntry = (name: string, maxBytes: number, sink: Sink): EntryReader => {
  const wanted = name.toLowerCase()
  let found = false
  let finished = false
  let inflated = 0
  let failure: string | undefined
  const unzip = new Unzip((file) => {
    const base = file.name.slice(file.name.lastIndexOf("/") + 1).toLowerCase()
    if (found || base !== wanted) return
    found = true
    file.ondata = (error, data, final) => {
      if (failure !== undefined) return
      if (error !== null) {
        failure = `${name} cannot be inflated: ${error.message}`
        return
      }
      inflated += data.byteLength
      if (inflated > maxBytes) {
        failure = `${name} inflates to more than the ${maxBytes} bytes allowed`
        file.terminate()
        return
      }
      failure = sink.data(data)
      if (final && failure === undefined) {
        finished = true
        failure = sink.end()
      }
    }
    try {
      file.start()
    } catch (error) {
      failure = `${name} cannot be read: ${messageOf(error)}`
    }
  })
  unzip.register(UnzipInflate)
  return {
    push: (bytes) => {
      for (let at = 0; failure === undefined && at < bytes.byteLength; at += piece) {
        try {
          unzip.push(bytes.subarray(at, Math.min(at + piece, bytes.byteLength)))
        } catch (error) {
          failure = `not a readable zip: ${messageOf(error)}`
        }
      }
      return failure
    },
    end: () => {
      if (failure === undefined) {
        try {
          unzip.push(new Uint8Array(0), true)
        } catch (error) {
          failure = `not a readable zip: ${messageOf(error)}`
        }
      }
      if (failure !== undefined) return failure
      if (!found) return `the zip holds no ${name}`
      return finished ? undefined : `the zip ends inside ${name}`
    }
  }
}
