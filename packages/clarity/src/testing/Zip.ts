/**
 * Zips built on the fly, as a Clarity site serves its reports: one deflated entry, written as its text is
 * produced (fflate's streaming `Zip`), so that a file of hundreds of MB is never held whole.
 *
 * @since 0.1.0
 */
import { Zip, ZipDeflate } from "fflate"

const encoder = new TextEncoder()
// Text is gathered into pieces of about this size before it is deflated: fewer, larger pushes.
const batch = 256 * 1024

/**
 * Zips `text` as the entry `name`, handing each piece of the zip to `write` as it is made.
 *
 * @since 0.1.0
 * @category zips
 */
export const zipTo = (name: string, text: Iterable<string>, write: (piece: Uint8Array) => void): void => {
  let failure: Error | null = null
  const zip = new Zip((error, data) => {
    if (error !== null) failure = error
    else write(data)
  })
  const entry = new ZipDeflate(name, { level: 6 })
  zip.add(entry)
  let pending = ""
  for (const piece of text) {
    pending += piece
    if (pending.length >= batch) {
      entry.push(encoder.encode(pending))
      pending = ""
    }
  }
  entry.push(encoder.encode(pending), true)
  zip.end()
  if (failure !== null) throw failure
}

/**
 * `text` zipped as the entry `name`, whole.
 *
 * @since 0.1.0
 * @category zips
 */
export const zipOf = (name: string, text: Iterable<string>): Uint8Array => {
  const pieces: Array<Uint8Array> = []
  zipTo(name, text, (piece) => pieces.push(piece))
  return Buffer.concat(pieces)
}
