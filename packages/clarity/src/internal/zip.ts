/**
 * One entry of a zip, inflated as the zip streams in, bounded: the entry's name only picks it (nothing
 * is ever written by name), and its inflated size is capped (a zip bomb stops at the cap).
 *
 * fflate's streaming `Unzip` reads the zip's structure; the entry's deflated bytes are inflated by
 * Node's zlib. fflate's own inflater allocates a new output buffer for every piece pushed (and grows it
 * by doubling), which on a statewide file churns through gigabytes of short-lived buffers and leaves
 * the process about 100 MB larger; zlib inflates into 16 KiB buffers.
 */
import * as Zlib from "node:zlib"
import { Effect } from "effect"
import { Unzip, type UnzipDecoder, UnzipPassThrough } from "fflate"

/**
 * Where the entry's bytes go as they are inflated, at once: a piece waiting in a queue would outlive
 * V8's young generation, and with it the buffer it holds. It may refuse them with why.
 */
export type Sink = (bytes: Uint8Array) => string | undefined

/** A zip being read: `push` each piece, then `end`; either fails with why the zip cannot be read. */
export interface EntryReader {
  readonly push: (bytes: Uint8Array) => Effect.Effect<void, string>
  readonly end: Effect.Effect<void, string>
  /** Lets go of the inflater, wherever the read stopped. */
  readonly close: Effect.Effect<void>
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

// Hands an entry's deflated bytes on as they are, for zlib to inflate.
class Deflated implements UnzipDecoder {
  static readonly compression = 8
  ondata: UnzipDecoder["ondata"] = () => {}
  push(chunk: Uint8Array<ArrayBuffer>, final: boolean) {
    this.ondata(null, chunk, final)
  }
}

/**
 * Reads the first entry whose base name is `name` (any case), and skips every other entry (started
 * and dropped, so that fflate holds none of their bytes).
 */
export const readEntry = (name: string, maxBytes: number, sink: Sink): EntryReader => {
  const wanted = name.toLowerCase()
  let found = false
  let stored = false
  let entryEnded = false
  let inflated = 0
  let failure: string | undefined
  let deflated: Array<Uint8Array> = []
  const fail = (why: string) => {
    failure ??= why
    inflater.destroy()
  }
  const take = (bytes: Uint8Array) => {
    inflated += bytes.byteLength
    if (inflated > maxBytes) fail(`${name} inflates to more than the ${maxBytes} bytes allowed`)
    else {
      const refused = sink(bytes)
      if (refused !== undefined) fail(refused)
    }
  }

  const inflater = Zlib.createInflateRaw()
  inflater.on("data", (bytes: Buffer) => {
    if (failure === undefined) take(bytes)
  })
  inflater.on("error", (error) => fail(`${name} cannot be inflated: ${error.message}`))
  // zlib ends its output where the compressed data says it ends, which may be before the entry does.
  let inflatedAll = false
  inflater.once("end", () => {
    inflatedAll = true
  })

  const unzip = new Unzip((file) => {
    const base = file.name.slice(file.name.lastIndexOf("/") + 1).toLowerCase()
    const mine = !found && base === wanted
    if (mine) {
      found = true
      stored = file.compression === 0
    }
    file.ondata = (error, data, final) => {
      if (!mine || failure !== undefined) return
      if (error !== null) return fail(`${name} cannot be read: ${error.message}`)
      if (stored) take(data)
      else deflated.push(data)
      entryEnded = final
    }
    try {
      file.start()
    } catch (error) {
      if (mine) fail(`${name} cannot be read: ${messageOf(error)}`)
    }
  })
  unzip.register(UnzipPassThrough)
  unzip.register(Deflated)

  // The entry's deflated bytes pushed so far, through zlib: done when zlib has taken them (and handed
  // on what they inflate to).
  const inflate = Effect.callback<void>((resume) => {
    const pieces = deflated
    deflated = []
    if (pieces.length === 0 || failure !== undefined) return resume(Effect.void)
    if (inflatedAll && pieces.some((piece) => piece.byteLength > 0)) {
      fail(`${name} holds bytes after the end of its compressed data`)
      return resume(Effect.void)
    }
    // A write that zlib fails is never called back: the stream closes instead.
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      inflater.off("close", settle)
      resume(Effect.void)
    }
    inflater.once("close", settle)
    const last = pieces.pop()!
    for (const piece of pieces) inflater.write(piece)
    inflater.write(last, settle)
  })

  const drained = Effect.suspend(() => (failure === undefined ? Effect.void : Effect.fail(failure)))

  const push = (bytes: Uint8Array) =>
    Effect.suspend(() => {
      if (failure === undefined) {
        try {
          unzip.push(bytes)
        } catch (error) {
          fail(`not a readable zip: ${messageOf(error)}`)
        }
      }
      return Effect.andThen(inflate, drained)
    })

  const finished = Effect.callback<void>((resume) => {
    if (failure !== undefined || stored || inflatedAll) return resume(Effect.void)
    inflater.once("end", () => resume(Effect.void))
    inflater.once("close", () => resume(Effect.void))
    inflater.end()
  })

  const end = Effect.suspend(() => {
    if (failure === undefined) {
      try {
        unzip.push(new Uint8Array(0), true)
      } catch (error) {
        fail(`not a readable zip: ${messageOf(error)}`)
      }
    }
    if (failure === undefined && !found) fail(`the zip holds no ${name}`)
    if (failure === undefined && !entryEnded) fail(`the zip ends inside ${name}`)
    return inflate.pipe(Effect.andThen(finished), Effect.andThen(drained))
  })

  return { push, end, close: Effect.sync(() => inflater.destroy()) }
}
