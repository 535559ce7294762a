/**
 * Where a download keeps its files: the finished file, the part file, the part file's record and the
 * lock, all inside the download directory whatever name the caller gives.
 */
import * as fsp from "node:fs/promises"
import * as nodePath from "node:path"
import { Effect, Option, Result } from "effect"

/** The files of one download. */
export interface DownloadFiles {
  /** Where the finished file lands. */
  readonly path: string
  /** The bytes received so far. */
  readonly part: string
  /** Which version of the file the part file holds (its validators), as JSON. */
  readonly record: string
  /** Held by the process downloading the file. */
  readonly lock: string
}

// Common file systems allow 255 bytes per name: room is left for the suffixes and the lock's own
// temporary names.
const maxNameBytes = 160

/** Why `name` cannot name a file directly inside a directory; `undefined` when it can. */
const nameProblem = (name: string): string | undefined => {
  if (name === "") return "it is empty"
  if (name === "." || name === "..") return "it names a directory"
  if (/[/\\]/.test(name)) return "it contains a path separator"
  if (/\p{Cc}/u.test(name)) return "it contains a control character"
  if (!name.isWellFormed()) return "it is not valid Unicode"
  if (Buffer.byteLength(name) > maxNameBytes) return `it is longer than ${maxNameBytes} bytes`
  return undefined
}

/**
 * The files of the download `name` in `directory`, or why `name` is refused: only a plain file name is
 * accepted, so that nothing a caller builds from upstream data can reach outside the directory.
 */
export const locate = (directory: string, name: string): Result.Result<DownloadFiles, string> => {
  const problem = nameProblem(name)
  const path = nodePath.resolve(directory, name)
  // The checks above should make this impossible; it is what the rule is about, so it is checked too.
  if (problem !== undefined || nodePath.dirname(path) !== nodePath.resolve(directory)) {
    return Result.fail(problem ?? "it resolves outside the download directory")
  }
  return Result.succeed({ path, part: `${path}.part`, record: `${path}.part.json`, lock: `${path}.lock` })
}

/** Bytes free for this user on the file system of `directory`, where the platform tells. */
export const freeBytes = (directory: string): Effect.Effect<Option.Option<number>> =>
  Effect.tryPromise(() => fsp.statfs(directory)).pipe(
    Effect.map((stats) => Option.some(stats.bavail * stats.bsize)),
    Effect.orElseSucceed(() => Option.none())
  )
