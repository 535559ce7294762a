/**
 * One downloader per file, across processes: a `<file>.lock` naming the process that holds it.
 *
 * The lock is created atomically with its content (a hard link to a file already written, which fails if
 * the lock exists), so no one ever reads a half-written lock. A lock whose process is gone (killed, say) is
 * stale and taken over: it is first renamed to a name of the taker's own, so that of two processes that
 * find it stale only one removes it, and a lock renamed by mistake (taken over and renewed meanwhile) is
 * put back. A second downloader waits for the first, polling, up to a bound; then it fails.
 */
import { randomUUID } from "node:crypto"
import * as os from "node:os"
import { Clock, Duration, Effect, FileSystem, Option, type PlatformError, Schema, type Scope } from "effect"
import type { ConfigError } from "../SourceError.ts"
import { formatDuration } from "./format.ts"

const Owner = Schema.Struct({ pid: Schema.Int, host: Schema.String, token: Schema.String })
type Owner = typeof Owner.Type

const decodeOwner = Schema.decodeUnknownOption(Schema.fromJsonString(Owner))

// Tokens of the locks this process holds: a lock naming this process's pid but none of these was left by
// an earlier process that had the same pid (as a restarted container's main process does).
const heldHere = new Set<string>()

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Whether the owner of a lock may still be running. A lock of another host cannot be checked, so it is. */
const isLive = (owner: Owner): boolean =>
  owner.host !== os.hostname() ? true : owner.pid === process.pid ? heldHere.has(owner.token) : isRunning(owner.pid)

const describeOwner = (owner: Owner | undefined) =>
  owner === undefined ? "another process" : `process ${owner.pid} on ${owner.host}`

/** How long to wait for another downloader, and how often to look. */
export interface LockTiming {
  readonly wait: Duration.Input
  readonly poll: Duration.Input
}

/**
 * Takes the lock at `path` for the rest of the scope. `refused` makes the error when another process
 * still holds it after `timing.wait`; `diskError` the error when the lock cannot be written or read.
 */
export const acquire = Effect.fn("Download.acquireLock")(function* (
  path: string,
  timing: LockTiming,
  errors: {
    readonly refused: (detail: string) => ConfigError
    readonly diskError: (error: PlatformError.PlatformError) => ConfigError
  }
): Effect.fn.Return<void, ConfigError, FileSystem.FileSystem | Scope.Scope> {
  const fs = yield* FileSystem.FileSystem
  const token = randomUUID()
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), token } satisfies Owner)
  const written = `${path}.${token}`
  const moved = `${written}.stale`
  const unlessMissing = <A>(effect: Effect.Effect<A, PlatformError.PlatformError>) =>
    Effect.catchReason(Effect.asSome(effect), "PlatformError", "NotFound", () => Effect.succeedNone)

  const release = fs.readFileString(path).pipe(
    Effect.flatMap((found) => (found === content ? fs.remove(path) : Effect.void)),
    Effect.ignore,
    Effect.ensuring(Effect.sync(() => heldHere.delete(token)))
  )
  // Where hard links are not supported, an exclusive create does (its content is written just after).
  const create = fs.link(written, path).pipe(
    Effect.catchIf(
      (error) => error.reason._tag !== "AlreadyExists",
      () => fs.writeFileString(path, content, { flag: "wx" })
    )
  )
  // True when the lock is ours; the release is registered in the same uninterruptible step. The token
  // counts as held from before the lock exists, so that no fiber of this process takes it for stale.
  const take = Effect.gen(function* () {
    heldHere.add(token)
    const created = yield* create.pipe(
      Effect.as(true),
      Effect.catchReason("PlatformError", "AlreadyExists", () => Effect.succeed(false)),
      Effect.onError(() => Effect.sync(() => heldHere.delete(token)))
    )
    if (created) yield* Effect.addFinalizer(() => release)
    else heldHere.delete(token)
    return created
  }).pipe(Effect.uninterruptible)
  const takeOver = Effect.fnUntraced(function* (stale: string) {
    const renamed = yield* unlessMissing(fs.rename(path, moved))
    if (Option.isNone(renamed)) return
    if ((yield* fs.readFileString(moved)) !== stale) {
      // Taken over and renewed by someone else between our read and the rename: theirs goes back.
      yield* fs.link(moved, path).pipe(Effect.catchReason("PlatformError", "AlreadyExists", () => Effect.void))
    }
    yield* fs.remove(moved)
  })

  yield* fs.writeFileString(written, content).pipe(Effect.mapError(errors.diskError))
  const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(Duration.fromInputUnsafe(timing.wait))
  let told = false
  // A lock that cannot be read is left by something else than this module; it is stale only if it is
  // still the same after a poll.
  let unreadable: string | undefined
  yield* Effect.gen(function* () {
    while (!(yield* take)) {
      const read = yield* unlessMissing(fs.readFileString(path))
      if (Option.isNone(read)) continue
      const found = read.value
      const owner = Option.getOrUndefined(decodeOwner(found))
      if (owner === undefined ? unreadable === found : !isLive(owner)) {
        yield* Effect.logWarning(`taking over the lock ${path}, left by ${describeOwner(owner)} which no longer runs`)
        yield* takeOver(found)
        continue
      }
      unreadable = owner === undefined ? found : undefined
      if ((yield* Clock.currentTimeMillis) >= deadline) {
        return yield* Effect.fail(
          errors.refused(
            `${describeOwner(owner)} is downloading the same file (lock ${path}); gave up after waiting ` +
              `${formatDuration(timing.wait)} (remove the lock if no such process runs)`
          )
        )
      }
      if (!told) {
        told = true
        yield* Effect.logInfo(`waiting for ${describeOwner(owner)}, which holds the lock ${path}`)
      }
      yield* Effect.sleep(timing.poll)
    }
  }).pipe(
    Effect.catchTag("PlatformError", (error) => Effect.fail(errors.diskError(error))),
    Effect.ensuring(fs.remove(written).pipe(Effect.ignore))
  )
})
