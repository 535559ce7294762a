/**
 * Resumable downloads of large files from links that expire.
 *
 * Bulk files are downloaded to disk before they are parsed: memory stays bounded whatever the size, the
 * body's SHA-256 is known (computed while it streams) before the first row is emitted, an unchanged file
 * is not downloaded again, and a killed process resumes where it stopped. When the link expires or the
 * connection drops mid-file, a fresh link is asked for and the download continues with an HTTP `Range`
 * request from the byte already on disk; a host that ignores `Range` is read again from the start with
 * the bytes already on disk skipped.
 *
 * @since 0.1.0
 */
import { createHash, type Hash } from "node:crypto"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Cause, Context, DateTime, Effect, Exit, FileSystem, Option, type PlatformError, Stream } from "effect"
import { HttpClientRequest } from "effect/http"
import type { Client } from "./Http.ts"
import * as Progress from "./Progress.ts"
import * as Retry from "./Retry.ts"
import { AuthError, ConfigError, retryClass, type SourceError } from "./SourceError.ts"

/**
 * The directory where downloads are kept while they run. Apps point it at their data directory so that
 * an interrupted download survives a restart; the default is a folder in the system's temp directory.
 *
 * @since 0.1.0
 * @category services
 */
export const DownloadDirectory = Context.Reference<string>("@electfeed/core/Download/DownloadDirectory", {
  defaultValue: () => nodePath.join(os.tmpdir(), "electfeed-downloads")
})

/**
 * What identifies a version of a file: its `ETag` and `Last-Modified`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Validators {
  readonly etag?: string | undefined
  readonly lastModified?: string | undefined
}

/**
 * A download to make.
 *
 * @since 0.1.0
 * @category models
 */
export interface DownloadOptions {
  /** The stream the file belongs to, for progress reports. */
  readonly stream: string
  /** A fresh link to the file: asked for first, and again each time a link has expired. */
  readonly link: Effect.Effect<string, SourceError>
  /** File name inside the {@link DownloadDirectory}. */
  readonly name: string
  /** Validators of the copy last read: when the host says the file is unchanged, nothing is downloaded. */
  readonly known?: Validators | undefined
  /** Recognises an expired link in a refused response. Default: S3's 403 `AccessDenied` / `Request has expired`. */
  readonly isExpired?: ((status: number, body: string) => boolean) | undefined
}

/**
 * The outcome of a download.
 *
 * @since 0.1.0
 * @category models
 */
export type DownloadResult =
  | { readonly _tag: "Unchanged" }
  | {
      readonly _tag: "Downloaded"
      readonly path: string
      readonly bytes: number
      /** SHA-256 hex of the whole body, computed while it streamed in. */
      readonly sha256: string
      readonly validators: Validators
      /** The link's URL, signature removed. */
      readonly url: string
      /** When the first response of the download arrived. */
      readonly observedAt: DateTime.Utc
    }

/**
 * S3's answer to a presigned URL past its expiry.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isS3Expired = (status: number, body: string): boolean =>
  status === 403 && body.includes("AccessDenied") && /expired/i.test(body)

const progressEvery = 1024 * 1024
const writeSize = 1024 * 1024
const maxExpiriesWithoutProgress = 5

const dropBytes =
  (count: number) =>
  <E>(stream: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E> => {
    if (count <= 0) return stream
    let remaining = count
    return stream.pipe(
      Stream.map((chunk) => {
        const cut = Math.min(remaining, chunk.byteLength)
        remaining -= cut
        return chunk.subarray(cut)
      }),
      Stream.filter((chunk) => chunk.byteLength > 0)
    )
  }

const validatorsOf = (headers: Readonly<Record<string, string | undefined>>): Validators => ({
  etag: headers["etag"],
  lastModified: headers["last-modified"]
})

const sameVersion = (a: Validators, b: Validators): boolean =>
  a.etag !== undefined ? a.etag === b.etag : a.lastModified !== undefined && a.lastModified === b.lastModified

const contentRangeTotal = (value: string | undefined): number | undefined => {
  const match = /\/(\d+)$/.exec(value ?? "")
  return match ? Number(match[1]) : undefined
}

const contentRangeStart = (value: string | undefined): number | undefined => {
  const match = /^bytes (\d+)-/.exec(value ?? "")
  return match ? Number(match[1]) : undefined
}

/**
 * Downloads a file to the {@link DownloadDirectory}, resuming across expired links, dropped connections
 * and restarts of the process. Transient failures that make no progress count against the client's retry
 * policy; any progress resets it.
 *
 * @since 0.1.0
 * @category downloads
 */
export const download = Effect.fnUntraced(function* (
  client: Client,
  options: DownloadOptions,
  policy: Retry.RetryPolicy = Retry.defaultPolicy
): Effect.fn.Return<DownloadResult, SourceError, FileSystem.FileSystem> {
  const fs = yield* FileSystem.FileSystem
  const directory = yield* DownloadDirectory
  const source = client.source
  const diskError = (error: PlatformError.PlatformError) =>
    new ConfigError({ source, detail: `cannot use the download directory ${directory}: ${error.message}` })
  const path = nodePath.join(directory, options.name)
  const partPath = `${path}.part`
  const metaPath = `${path}.part.json`
  const isExpired = options.isExpired ?? isS3Expired

  yield* fs.makeDirectory(directory, { recursive: true }).pipe(Effect.mapError(diskError))

  // A part file left by an earlier run is resumed only if we know which version of the file it holds.
  let offset = 0
  let hash: Hash = createHash("sha256")
  let partVersion: Validators = {}
  const resumable =
    (yield* fs.exists(partPath).pipe(Effect.mapError(diskError))) &&
    (yield* fs.exists(metaPath).pipe(Effect.mapError(diskError)))
  if (resumable) {
    partVersion = JSON.parse(yield* fs.readFileString(metaPath).pipe(Effect.mapError(diskError))) as Validators
    yield* fs.stream(partPath).pipe(
      Stream.runForEach((chunk) =>
        Effect.sync(() => {
          hash.update(chunk)
          offset += chunk.byteLength
        })
      ),
      Effect.mapError(diskError)
    )
    yield* Effect.logInfo(`resuming the download of ${options.name} at byte ${offset}`)
  } else {
    yield* fs.writeFileString(partPath, "").pipe(Effect.mapError(diskError))
  }

  const restartFromScratch = Effect.gen(function* () {
    yield* fs.truncate(partPath, 0).pipe(Effect.mapError(diskError))
    offset = 0
    hash = createHash("sha256")
  })

  let observedAt: DateTime.Utc | undefined
  let total: number | undefined
  let url = ""
  let expiriesWithoutProgress = 0

  type Step = "done" | "again" | "unchanged"

  const attempt: Effect.Effect<Step, SourceError> = Effect.scoped(
    Effect.gen(function* () {
      const startedAt = offset
      const link = yield* options.link
      let request = HttpClientRequest.get(link).pipe(HttpClientRequest.setHeader("accept-encoding", "identity"))
      if (offset > 0) {
        request = HttpClientRequest.setHeader(request, "range", `bytes=${offset}-`)
        const ifRange = partVersion.etag ?? partVersion.lastModified
        if (ifRange !== undefined) request = HttpClientRequest.setHeader(request, "if-range", ifRange)
      } else if (options.known?.etag !== undefined) {
        request = HttpClientRequest.setHeader(request, "if-none-match", options.known.etag)
      } else if (options.known?.lastModified !== undefined) {
        request = HttpClientRequest.setHeader(request, "if-modified-since", options.known.lastModified)
      }
      const response = yield* client.open(request, {
        accept: (status) => status === 200 || status === 206 || status === 304 || status === 403 || status === 416
      })
      url = response.url
      observedAt ??= response.observedAt

      if (response.status === 304) return "unchanged" as Step
      if (response.status === 416) {
        // A run killed between the last byte and the rename left a whole file: S3 has nothing past it.
        if (offset > 0 && contentRangeTotal(response.headers["content-range"]) === offset) return "done" as Step
        yield* Effect.logWarning(`the host refused to resume ${options.name} at byte ${offset}; downloading it again`)
        yield* restartFromScratch
        return "again" as Step
      }
      if (response.status === 403) {
        // A body that breaks off is a network failure, not a refusal: retried, not reported as auth.
        const body = yield* response.body.pipe(Stream.decodeText(), Stream.mkString)
        if (!isExpired(403, body)) return yield* new AuthError({ source, url, status: 403 })
        expiriesWithoutProgress++
        if (expiriesWithoutProgress > maxExpiriesWithoutProgress) {
          return yield* new AuthError({ source, url, status: 403 })
        }
        yield* Effect.logInfo(`the link to ${options.name} expired at byte ${offset}; asking for a fresh one`)
        return "again" as Step
      }

      const version = validatorsOf(response.headers)
      let skip = 0
      if (response.status === 206 && contentRangeStart(response.headers["content-range"]) !== offset) {
        yield* Effect.logWarning(`the host resumed ${options.name} at the wrong byte; downloading it again`)
        yield* restartFromScratch
        return "again" as Step
      }
      if (response.status === 200 && offset > 0) {
        if (sameVersion(version, partVersion)) {
          yield* Effect.logInfo(
            `the host ignored Range for ${options.name}; skipping the ${offset} bytes already on disk`
          )
          skip = offset
        } else {
          yield* Effect.logInfo(`${options.name} changed on the host; downloading it again`)
          yield* restartFromScratch
        }
      }
      if (offset === 0) {
        partVersion = version
        yield* fs.writeFileString(metaPath, JSON.stringify(version)).pipe(Effect.mapError(diskError))
      }
      const length = Number(response.headers["content-length"])
      total = Number.isFinite(length) ? length + (response.status === 206 ? offset : 0) : undefined

      const file = yield* fs.open(partPath, { flag: "a" }).pipe(Effect.mapError(diskError))
      let reported = offset
      // Bytes are written (and hashed, and counted) a megabyte at a time: fewer writes, and the offset
      // always names what is on disk.
      let pending: Array<Uint8Array> = []
      let pendingBytes = 0
      const flush = Effect.suspend(() => {
        if (pendingBytes === 0) return Effect.void
        const data = Buffer.concat(pending, pendingBytes)
        pending = []
        pendingBytes = 0
        return file.writeAll(data).pipe(
          Effect.mapError(diskError),
          Effect.andThen(
            Effect.suspend(() => {
              hash.update(data)
              offset += data.byteLength
              if (offset - reported < progressEvery) return Effect.void
              reported = offset
              return Progress.report({
                source,
                stream: options.stream,
                phase: "download",
                bytes: offset,
                totalBytes: total,
                rows: 0,
                done: false
              })
            })
          )
        )
      })
      const received = yield* response.body.pipe(
        dropBytes(skip),
        Stream.runForEach((chunk) => {
          pending.push(chunk)
          pendingBytes += chunk.byteLength
          return pendingBytes >= writeSize ? flush : Effect.void
        }),
        // Stopped mid-way, keep what arrived: the next run resumes from it.
        Effect.onInterrupt(() => Effect.ignore(flush)),
        Effect.exit
      )
      yield* flush
      const written = yield* Exit.match(received, {
        onSuccess: () => Effect.succeed(true),
        onFailure: (cause) => {
          const error = Cause.findErrorOption(cause)
          return Option.isSome(error) && offset > startedAt && retryClass(error.value) !== "permanent"
            ? Effect.logInfo(
                `the download of ${options.name} broke off at byte ${offset} (${error.value.message}); resuming`
              ).pipe(Effect.as(false))
            : Effect.failCause(cause)
        }
      })
      if (offset > startedAt) expiriesWithoutProgress = 0
      if (!written) return "again" as Step
      if (total !== undefined && offset < total) {
        yield* Effect.logInfo(`the body of ${options.name} ended at byte ${offset} of ${total}; resuming`)
        return "again" as Step
      }
      return "done" as Step
    })
  )

  let step: Step = "again"
  while (step === "again") {
    step = yield* Retry.retrying(policy)(attempt)
  }
  if (step === "unchanged") {
    yield* fs.remove(partPath).pipe(Effect.ignore)
    yield* fs.remove(metaPath).pipe(Effect.ignore)
    return { _tag: "Unchanged" } as const
  }
  yield* fs.rename(partPath, path).pipe(Effect.mapError(diskError))
  yield* fs.remove(metaPath).pipe(Effect.ignore)
  yield* Progress.report({
    source,
    stream: options.stream,
    phase: "download",
    bytes: offset,
    totalBytes: offset,
    rows: 0,
    done: true
  })
  return {
    _tag: "Downloaded",
    path,
    bytes: offset,
    sha256: hash.digest("hex"),
    validators: partVersion,
    url,
    observedAt: observedAt ?? (yield* DateTime.now)
  } as const
})
