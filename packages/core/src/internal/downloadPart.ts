/**
 * The part file of a download: the bytes received so far, their SHA-256 and count, and the record of
 * which version of the file they belong to (`<file>.part.json`), which lets a later run resume them.
 */
import { createHash, type Hash } from "node:crypto"
import { Effect, Fiber, type FileSystem, Option, type PlatformError, Schema, Stream } from "effect"
import type { Validators } from "../Download.ts"
import type { ConfigError, SourceError } from "../SourceError.ts"
import type { DownloadFiles } from "./downloadFiles.ts"

/** What the record holds: the validators of the version in the part file. */
const PartRecord = Schema.fromJsonString(
  Schema.Struct({ etag: Schema.optionalKey(Schema.String), lastModified: Schema.optionalKey(Schema.String) })
)

// Bytes are written (and hashed, and counted) a megabyte at a time: fewer writes, and the offset always
// names what is on disk (a megabyte more may be in the buffers, written before `append` returns).
const writeSize = 1024 * 1024
const progressEvery = 1024 * 1024
const roomCheckEvery = 64 * 1024 * 1024

/** How {@link Part.append} treats a body. */
export interface AppendOptions {
  /** Bytes at the start of the body that are already on disk (a host that ignored `Range`). */
  readonly skip: number
  /** The size the file must not pass. */
  readonly maxBytes: number
  /** Looks at each piece of the body before it is kept; an error refuses the body. */
  readonly inspect: (chunk: Uint8Array) => SourceError | undefined
  /** The error of a file past `maxBytes`, which is then discarded. */
  readonly tooLarge: SourceError
  /** Fails when the disk has no room left for the rest of the file; run every 64 MiB. */
  readonly checkRoom: Effect.Effect<void, SourceError>
  /** Told of the bytes on disk, every megabyte or so. */
  readonly progress: (bytes: number) => Effect.Effect<void>
}

/** The part file of one download. */
export interface Part {
  /** Bytes on disk. */
  readonly offset: () => number
  /** The version of the file the bytes on disk belong to. */
  readonly version: () => Validators
  /** SHA-256 hex of the bytes on disk. */
  readonly sha256: () => string
  /**
   * Takes over what an earlier run left, when its record can be read (true when that is some bytes);
   * else starts an empty part file.
   */
  readonly resume: Effect.Effect<boolean, ConfigError>
  /** Empties the part file. */
  readonly restart: Effect.Effect<void, ConfigError>
  /** Records the version of the file whose first byte comes next. */
  readonly begin: (version: Validators) => Effect.Effect<void, ConfigError>
  /**
   * Appends a body. Whatever arrived before it ended, failed or was interrupted is on disk (and in
   * `offset`) once this returns; the result is the body's.
   */
  readonly append: (
    body: Stream.Stream<Uint8Array, SourceError>,
    options: AppendOptions
  ) => Effect.Effect<void, SourceError>
  /** Moves the part file to its final path. */
  readonly finish: Effect.Effect<void, ConfigError>
  /** Removes the part file and its record. */
  readonly discard: Effect.Effect<void>
}

/** The part file of the download whose files are `files`. */
export const make = (
  fs: FileSystem.FileSystem,
  files: DownloadFiles,
  diskError: (error: PlatformError.PlatformError) => ConfigError
): Part => {
  let offset = 0
  let hash: Hash = createHash("sha256")
  let version: Validators = {}
  const onDisk = <A, R>(effect: Effect.Effect<A, PlatformError.PlatformError, R>) => Effect.mapError(effect, diskError)

  const restart = Effect.suspend(() => {
    offset = 0
    hash = createHash("sha256")
    return onDisk(fs.writeFileString(files.part, ""))
  })

  const readRecord = fs.readFileString(files.record).pipe(
    onDisk,
    Effect.flatMap(Schema.decodeUnknownEffect(PartRecord)),
    Effect.map(Option.some),
    // A record cut short (the process died while writing it) says nothing of the part file.
    Effect.catchTag("SchemaError", (error) =>
      Effect.as(
        Effect.logWarning(
          `the record of the part file ${files.part} cannot be read (${error.message}); downloading from the first byte`
        ),
        Option.none()
      )
    )
  )

  const resume = Effect.gen(function* () {
    const found = (yield* onDisk(fs.exists(files.part))) && (yield* onDisk(fs.exists(files.record)))
    const record = found ? yield* readRecord : Option.none()
    if (Option.isNone(record)) {
      yield* restart
      return false
    }
    version = record.value
    yield* fs.stream(files.part).pipe(
      Stream.runForEach((chunk) =>
        Effect.sync(() => {
          hash.update(chunk)
          offset += chunk.byteLength
        })
      ),
      onDisk
    )
    return offset > 0
  })

  const begin = (next: Validators) =>
    Effect.suspend(() => {
      version = next
      return onDisk(fs.writeFileString(files.record, JSON.stringify(next)))
    })

  const discard = Effect.andThen(fs.remove(files.part).pipe(Effect.ignore), fs.remove(files.record).pipe(Effect.ignore))

  const append = (body: Stream.Stream<Uint8Array, SourceError>, options: AppendOptions) =>
    Effect.scoped(
      Effect.gen(function* () {
        const file = yield* onDisk(fs.open(files.part, { flag: "a" }))
        // Two buffers, one filling while the other is written: network and disk overlap, and nothing is
        // allocated per write (a megabyte allocated per write keeps the garbage collector busy).
        let filling = Buffer.allocUnsafe(writeSize)
        let spare = Buffer.allocUnsafe(writeSize)
        let filled = 0
        let writing: Fiber.Fiber<void, ConfigError> | undefined
        // Bytes taken from the body: on disk, being written, or in the filling buffer.
        let taken = offset
        let toSkip = options.skip
        let reported = offset
        let roomCheckedAt = offset
        const afterWrite = Effect.suspend(() => {
          if (offset - roomCheckedAt >= roomCheckEvery) {
            roomCheckedAt = offset
            return options.checkRoom
          }
          if (offset - reported < progressEvery) return Effect.void
          reported = offset
          return options.progress(offset)
        })
        // Waits for the write in flight.
        const settle = Effect.suspend(() => {
          if (writing === undefined) return Effect.void
          const fiber = writing
          writing = undefined
          return Effect.andThen(Fiber.join(fiber), afterWrite)
        })
        // Starts writing the filling buffer once the write before it is done.
        const flush = Effect.andThen(
          settle,
          Effect.suspend(() => {
            if (filled === 0) return Effect.void
            const data = filling.subarray(0, filled)
            const written = spare
            spare = filling
            filling = written
            filled = 0
            // The hash of the file once this write lands, computed while the disk writes: on a copy of
            // the hash, so that `sha256` names what is on disk until then (and if the write fails).
            const next = hash.copy()
            // Uninterruptible: an interrupted write would go on in the background, after the offset was
            // taken for what is on disk (and after the file was closed).
            const write = onDisk(file.writeAll(data)).pipe(
              Effect.andThen(
                Effect.sync(() => {
                  hash = next
                  offset += data.byteLength
                })
              ),
              Effect.uninterruptible
            )
            // Started at once, so that the write is on its way before the hashing takes the thread; and
            // uninterruptible until hashed, so that a write that lands always brings its bytes' hash.
            return Effect.uninterruptible(
              Effect.map(Effect.forkChild(write, { startImmediately: true }), (fiber) => {
                writing = fiber
                next.update(data)
              })
            )
          })
        )
        const drain = Effect.andThen(flush, settle)
        const keep = (chunk: Uint8Array): Effect.Effect<void, SourceError> => {
          const refused = options.inspect(chunk)
          if (refused !== undefined) return Effect.fail(refused)
          let piece = chunk
          if (toSkip > 0) {
            const cut = Math.min(toSkip, piece.byteLength)
            toSkip -= cut
            piece = piece.subarray(cut)
            if (piece.byteLength === 0) return Effect.void
          }
          if (taken + piece.byteLength > options.maxBytes) {
            filled = 0
            return Effect.andThen(Effect.ignore(settle), Effect.andThen(discard, Effect.fail(options.tooLarge)))
          }
          taken += piece.byteLength
          return fill(piece)
        }
        // Copies a piece into the filling buffer, writing it each time it is full.
        const fill = (piece: Uint8Array): Effect.Effect<void, SourceError> => {
          let at = 0
          const more = (): Effect.Effect<void, SourceError> => {
            while (at < piece.byteLength) {
              const copied = Math.min(piece.byteLength - at, writeSize - filled)
              filling.set(piece.subarray(at, at + copied), filled)
              filled += copied
              at += copied
              if (filled === writeSize) return Effect.andThen(flush, Effect.suspend(more))
            }
            return Effect.void
          }
          return more()
        }
        const received = yield* Stream.runForEach(body, keep).pipe(
          // Stopped mid-way, keep what arrived: the next run resumes from it.
          Effect.onInterrupt(() => Effect.ignore(drain)),
          Effect.exit
        )
        yield* drain
        return yield* received
      })
    )

  return {
    offset: () => offset,
    version: () => version,
    sha256: () => hash.copy().digest("hex"),
    resume,
    restart,
    begin,
    append,
    finish: Effect.andThen(onDisk(fs.rename(files.part, files.path)), fs.remove(files.record).pipe(Effect.ignore)),
    discard
  }
}
