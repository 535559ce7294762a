/** Runs the real `electfeed` executable as a child process. */
import { spawn } from "node:child_process"
import * as path from "node:path"

export const bin = path.resolve(import.meta.dirname, "../../src/bin.ts")

export interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts `electfeed args` and hands back the child, to signal or kill it. */
export const start = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}
) => {
  const child = spawn(bin, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  const watchers = new Set<() => void>()
  const told = () => {
    for (const watcher of watchers) watcher()
  }
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
    told()
  })
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
    told()
  })
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  /**
   * Resolves when stderr has `count` lines matching `pattern` (with the last of them); fails if the
   * process ends first, with what it printed.
   */
  const waitFor = (pattern: RegExp, count = 1): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const lines = stderr.split("\n").filter((l) => pattern.test(l))
        if (lines.length < count) return false
        watchers.delete(check)
        resolve(lines[count - 1]!)
        return true
      }
      if (check()) return
      watchers.add(check)
      void done.then((run) => {
        if (!check()) reject(new Error(`exited (${run.code ?? run.signal}) before printing ${pattern}:\n${run.stderr}`))
      })
    })
  return { child, done, output: () => ({ stdout, stderr }), waitFor }
}

/** Runs `electfeed args` to the end. */
export const electfeed = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}
): Promise<Run> => start(args, options).done
