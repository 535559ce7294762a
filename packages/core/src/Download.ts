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
 * A download is bounded whatever the host does: every file it touches is inside the
 * {@link DownloadDirectory}, one process at a time downloads a given file (a lock file), the file's size
 * and the whole download's time are capped, the disk must have room for the file, retries and restarts
 * that make no progress count against the retry policy, and a response that is not the kind of file asked
 * for (an HTML error page served with 200, say) is refused before it is kept.
 *
 * @since 0.1.0
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import {
  Cause,
  Clock,
  Context,
  DateTime,
  Duration,
  Effect,
  Exit,
  FileSystem,
  Option,
  type PlatformError,
  Result
} from "effect"
import type { Client, Opened } from "./Http.ts"
import * as Files from "./internal/downloadFiles.ts"
import * as Lock from "./internal/downloadLock.ts"
import * as Part from "./internal/downloadPart.ts"
import * as Response from "./internal/downloadResponse.ts"
import { formatBytes, formatDuration } from "./internal/format.ts"
import { retryClass } from "./internal/retryClass.ts"
import * as Progress from "./Progress.ts"
import { redactUrl } from "./Redaction.ts"
import * as Retry from "./Retry.ts"
import { AuthError, ConfigError, type SourceError, Transient } from "./SourceError.ts"

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
 * The kind of file a download must be. A response served as HTML or XML, a `json-array` whose first
 * byte (after a byte-order mark and white space) is not `[`, or a `csv` that starts like HTML or XML is
 * refused with a `DecodeError` before any of it is kept.
 *
 * @since 0.1.0
 * @category models
 */
export type Expect = Response.Expect

/**
 * The largest file a download accepts unless told otherwise: 20 GiB.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultMaxBytes = 20 * 1024 ** 3

/**
 * The longest a download may take unless told otherwise: 2 hours.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultMaxDuration: Duration.Duration = Duration.hours(2)

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
  /**
   * File name inside the {@link DownloadDirectory}: a plain name of at most 160 bytes, without path
   * separators or control characters (anything else is a `ConfigError`). Build it from upstream data
   * only through an encoding that keeps to these rules.
   */
  readonly name: string
  /** Validators of the copy last read: when the host says the file is unchanged, nothing is downloaded. */
  readonly known?: Validators | undefined
  /** Recognises an expired link in a refused response. Default: S3's 403 `AccessDenied` / `Request has expired`. */
  readonly isExpired?: ((status: number, body: string) => boolean) | undefined
  /** The kind of file asked for, checked before the body is kept. Default: not checked. */
  readonly expect?: Expect | undefined
  /**
   * The largest file accepted, in bytes: a host that announces or sends more fails the download with a
   * `DecodeError`, and what was received is removed. Default {@link defaultMaxBytes}.
   */
  readonly maxBytes?: number | undefined
  /**
   * The longest the whole download may take, fresh links and retries included: past it the download fails
   * with `Transient` (timeout), keeping what arrived for the next run. Default {@link defaultMaxDuration}.
   */
  readonly maxDuration?: Duration.Input | undefined
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

/** S3's answer to a presigned URL past its expiry. */
const isS3Expired = (status: number, body: string): boolean =>
  status === 403 && body.includes("AccessDenied") && /expired/i.test(body)

const maxExpiriesWithoutProgress = 5
// Left free on the disk: a download must not starve the store next to it.
const keptFree = 64 * 1024 * 1024
// Another process downloading the same file is waited for this long.
const lockTiming: Lock.LockTiming = { wait: "2 minutes", poll: "250 millis" }

const answers = (status: number) =>
  status === 200 || status === 206 || status === 304 || status === 403 || status === 416

/**
 * Downloads a file to the {@link DownloadDirectory}, resuming across expired links, dropped connections
 * and restarts of the process. Transient failures, and restarts, that make no progress count against the
 * client's retry policy; any progress resets it. Another process downloading the same file into the same
 * directory is waited for (up to 2 minutes, then a `ConfigError`).
 *
 * @since 0.1.0
 * @category downloads
 */
export const download = Effect.fn("Download.download")(function* (
  client: Client,
  options: DownloadOptions,
  policy: Retry.RetryPolicy = Retry.defaultPolicy
): Effect.fn.Return<DownloadResult, SourceError, FileSystem.FileSystem> {
  const fs = yield* FileSystem.FileSystem
  const directory = yield* DownloadDirectory
  const source = client.source
  const name = options.name
  const located = Files.locate(directory, name)
  if (Result.isFailure(located)) {
    return yield* new ConfigError({
      source,
      detail: `the download name ${JSON.stringify(name)} cannot be used: ${located.failure}`
    })
  }
  const files = located.success
  const diskError = (error: PlatformError.PlatformError) =>
    new ConfigError({ source, detail: `cannot use the download directory ${directory}: ${error.message}` })
  const maxBytes = options.maxBytes ?? defaultMaxBytes
  const maxDuration = Duration.fromInputUnsafe(options.maxDuration ?? defaultMaxDuration)
  const isExpired = options.isExpired ?? isS3Expired
  const part = Part.make(fs, files, diskError)

  let observedAt: DateTime.Utc | undefined
  let total: number | undefined
  let url = ""
  let expiriesWithoutProgress = 0
  let restarts = 0
  let deadline = Number.POSITIVE_INFINITY

  const checkRoom = Effect.gen(function* () {
    const needed = total === undefined ? 0 : Math.max(0, total - part.offset())
    const free = yield* Files.freeBytes(directory)
    if (Option.isSome(free) && free.value - keptFree < needed) {
      return yield* new ConfigError({
        source,
        detail:
          `the download directory ${directory} has ${formatBytes(free.value)} free; ${name} needs ` +
          `${formatBytes(needed)} more, and ${formatBytes(keptFree)} are kept free`
      })
    }
  })

  const report = (bytes: number, done: boolean) =>
    Progress.report({
      source,
      stream: options.stream,
      phase: "download",
      bytes,
      totalBytes: done ? bytes : total,
      rows: 0,
      done
    })

  const tooLarge = (size: string) =>
    client.decodeError({
      url,
      detail: `the file is ${size}, more than the ${formatBytes(maxBytes)} allowed`,
      input: ""
    })

  const restartFromScratch = (why: string) =>
    Effect.gen(function* () {
      if (part.offset() > 0 && ++restarts > policy.maxAttempts) {
        return yield* new Transient({
          source,
          url,
          reason: "server",
          detail: `${why}, after starting ${name} again from its first byte ${policy.maxAttempts} times`
        })
      }
      yield* Effect.logWarning(`${why}; downloading ${name} again from its first byte`)
      yield* part.restart
    })

  const refusal = (response: Opened) =>
    Effect.gen(function* () {
      // A body that breaks off is a network failure, not a refusal: retried, not reported as auth.
      const body = yield* Response.refusalText(response.body)
      if (!isExpired(403, body) || ++expiriesWithoutProgress > maxExpiriesWithoutProgress) {
        return yield* new AuthError({ source, url, status: 403 })
      }
      yield* Effect.logInfo(`the link to ${name} expired at byte ${part.offset()}; asking for a fresh one`)
      return "again" as const
    })

  const attempt = Effect.gen(function* () {
    const startedAt = part.offset()
    const link = yield* options.link
    url = redactUrl(link)
    const request = Response.requestFor(link, startedAt, part.version(), options.known)
    // The response may take what is left of the download's time, and no more.
    const left = Duration.millis(Math.max(1, deadline - (yield* Clock.currentTimeMillis)))
    const response = yield* client.open(request, { accept: answers, totalTimeout: left })
    url = response.url
    observedAt ??= response.observedAt
    const refused = (detail: string) =>
      new Transient({ source, url, reason: "server", status: response.status, detail })

    if (response.status === 304) return "unchanged" as const
    if (response.status === 403) return yield* refusal(response)
    const contentRange = response.headers["content-range"]
    if (response.status === 416) {
      // A run killed between the last byte and the rename left a whole file: S3 has nothing past it.
      if (startedAt > 0 && Response.contentRangeTotal(contentRange) === startedAt) return "done" as const
      yield* restartFromScratch(`the host refused to resume ${name} at byte ${startedAt}`)
      return yield* refused(`the host refused the range from byte ${startedAt} (${contentRange ?? "no Content-Range"})`)
    }
    if (response.status === 206 && Response.contentRangeStart(contentRange) !== startedAt) {
      yield* restartFromScratch(`the host resumed ${name} at the wrong byte`)
      return yield* refused(`asked for the bytes from ${startedAt}, got ${contentRange ?? "no Content-Range"}`)
    }
    const expect = options.expect
    const typeProblem =
      expect === undefined ? undefined : Response.contentTypeProblem(expect, response.headers["content-type"])
    if (typeProblem !== undefined) return yield* client.decodeError({ url, detail: typeProblem, input: "" })

    const version = Response.validatorsOf(response.headers)
    let skip = 0
    if (response.status === 200 && startedAt > 0) {
      if (Response.sameVersion(version, part.version())) {
        yield* Effect.logInfo(`the host ignored Range for ${name}; skipping the ${startedAt} bytes already on disk`)
        skip = startedAt
      } else {
        yield* restartFromScratch(`${name} changed on the host`)
      }
    }
    if (part.offset() === 0) yield* part.begin(version)
    total = Response.announcedSize(response, part.offset())
    if (total !== undefined && total > maxBytes) {
      yield* part.discard
      return yield* tooLarge(formatBytes(total))
    }
    yield* checkRoom

    // Only a body that starts at the file's first byte shows what kind of file it is.
    const look =
      expect !== undefined && (response.status === 200 || part.offset() === 0) ? Response.firstBytes(expect) : undefined
    const received = yield* Effect.exit(
      part.append(response.body, {
        skip,
        maxBytes,
        inspect: (chunk) => {
          const found = look?.(chunk)
          return found && client.decodeError({ url, detail: found.detail, input: found.excerpt })
        },
        tooLarge: tooLarge(`more than ${formatBytes(maxBytes)}`),
        checkRoom,
        progress: (bytes) => report(bytes, false)
      })
    )
    const progressed = part.offset() > startedAt
    if (progressed) expiriesWithoutProgress = 0
    if (Exit.isFailure(received)) {
      const error = Cause.findErrorOption(received.cause)
      if (!progressed || Option.isNone(error) || retryClass(error.value) === "permanent") {
        return yield* Effect.failCause(received.cause)
      }
      yield* Effect.logInfo(
        `the download of ${name} broke off at byte ${part.offset()} (${error.value.message}); resuming`
      )
      return "again" as const
    }
    if (total !== undefined && part.offset() < total) {
      const detail = `the body of ${name} ended at byte ${part.offset()} of ${total}`
      if (!progressed) return yield* new Transient({ source, url, reason: "network", detail })
      yield* Effect.logInfo(`${detail}; resuming`)
      return "again" as const
    }
    return "done" as const
  }).pipe(Effect.scoped)

  const transfer = Effect.gen(function* () {
    deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(maxDuration)
    if (yield* part.resume) yield* Effect.logInfo(`resuming the download of ${name} at byte ${part.offset()}`)
    let step: "done" | "again" | "unchanged" = "again"
    while (step === "again") step = yield* Retry.retrying(policy)(attempt)
    return step
  }).pipe(
    Effect.timeoutOrElse({
      duration: maxDuration,
      orElse: () =>
        Effect.fail(
          new Transient({
            source,
            url,
            reason: "timeout",
            detail: `the download of ${name} did not finish within ${formatDuration(maxDuration)}`
          })
        )
    })
  )

  yield* fs.makeDirectory(directory, { recursive: true }).pipe(Effect.mapError(diskError))
  const step = yield* Effect.scoped(
    Effect.andThen(
      Lock.acquire(files.lock, lockTiming, { refused: (detail) => new ConfigError({ source, detail }), diskError }),
      transfer.pipe(
        // A failed download with nothing on disk leaves nothing behind.
        Effect.onError(() => (part.offset() === 0 ? part.discard : Effect.void)),
        Effect.flatMap((step) => (step === "unchanged" ? Effect.as(part.discard, step) : Effect.as(part.finish, step)))
      )
    )
  )
  if (step === "unchanged") return { _tag: "Unchanged" } as const
  const bytes = part.offset()
  yield* report(bytes, true)
  return {
    _tag: "Downloaded",
    path: files.path,
    bytes,
    sha256: part.sha256(),
    validators: part.version(),
    url,
    observedAt: observedAt ?? (yield* DateTime.now)
  } as const
})
