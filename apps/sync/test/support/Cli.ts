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
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, done, output: () => ({ stdout, stderr }) }
}

/** Runs `electfeed args` to the end. */
export const electfeed = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}
): Promise<Run> => start(args, options).done
