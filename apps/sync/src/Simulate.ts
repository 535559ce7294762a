/**
 * `electfeed simulate <id>`: a connector's API simulator on 127.0.0.1, for development and for trying the
 * CLI offline. A connector's simulator is its package's `testing` entry, which exports
 * `serve(options?: { port?: number; timeline?: boolean })`: a scoped effect of a server with its `url`
 * (and, for a timeline, `step()`).
 *
 * @since 0.2.0
 */
import * as net from "node:net"
import { pathToFileURL } from "node:url"
import { Duration, Effect, Option, type Scope } from "effect"
import { PluginError, simulatorEntry } from "./Plugins.ts"
import type { Installed } from "./Sources.ts"
import * as Stdout from "./Stdout.ts"

/**
 * How to run a simulator.
 *
 * @since 0.2.0
 * @category models
 */
export interface SimulateOptions {
  /** Default: any free port. */
  readonly port: Option.Option<number>
  /** Start at the first update of election night and move on every `every`. */
  readonly timeline: boolean
  readonly every: Duration.Duration
}

/** What a simulator's `serve` gives, as far as this command uses it. */
interface Served {
  readonly url: string
  readonly step?: () => void
  readonly steps?: number
  readonly position?: number
  readonly apiKey?: string
}

type Serve = (options: {
  readonly port?: number
  readonly timeline?: boolean
}) => Effect.Effect<Served, never, Scope.Scope>

const unusable = (installed: Installed, detail: string) =>
  new PluginError({ name: installed.source.id, detail: `has no usable simulator: ${detail}` })

/** The port is free on 127.0.0.1 (the server would otherwise fail outside any handler). */
const portFree = (port: number) =>
  Effect.callback<boolean>((resume) => {
    const probe = net.createServer()
    probe.once("error", () => resume(Effect.succeed(false)))
    probe.listen(port, "127.0.0.1", () => probe.close(() => resume(Effect.succeed(true))))
  })

const serveOf = Effect.fn("Simulate.serveOf")(function* (installed: Installed) {
  const entry = simulatorEntry(installed)
  if (Option.isNone(entry)) {
    return yield* unusable(installed, `its package ${installed.packageName} has no \`testing\` entry`)
  }
  const module = yield* Effect.tryPromise({
    try: () => import(pathToFileURL(entry.value).href) as Promise<Record<string, unknown>>,
    catch: (cause) => unusable(installed, `its testing entry cannot be loaded: ${String(cause).split("\n")[0]}`)
  })
  const serve = module["serve"]
  if (typeof serve !== "function") return yield* unusable(installed, "its testing entry exports no `serve`")
  return serve as Serve
})

/**
 * Serves the simulator of `installed` until interrupted (Ctrl-C, SIGTERM): its base URL on stdout, and on
 * stderr what to point a read at, with each secret the simulator accepts.
 *
 * @since 0.2.0
 * @category running
 */
export const run = Effect.fn("Simulate.run")(function* (installed: Installed, options: SimulateOptions) {
  const serve = yield* serveOf(installed)
  if (Option.isSome(options.port) && !(yield* portFree(options.port.value))) {
    return yield* unusable(installed, `port ${options.port.value} is in use on 127.0.0.1`)
  }
  const served = yield* serve({
    ...(Option.isSome(options.port) ? { port: options.port.value } : {}),
    timeline: options.timeline
  })
  if (typeof served?.url !== "string") return yield* unusable(installed, "its `serve` gives no `url`")
  const { id } = installed.source
  yield* Stdout.lines(served.url)
  const secrets = Object.entries(installed.source.secrets).flatMap(([key, variable]) => {
    const value = (served as unknown as Record<string, unknown>)[key]
    return typeof value === "string" ? [`${variable}=${value}`] : []
  })
  yield* Effect.logInfo(
    `the ${id} simulator serves ${served.url}; try: ${[...secrets, "electfeed", "read", id, "--base-url", served.url].join(" ")}. Ctrl-C stops it.`
  )
  if (options.timeline) {
    const step = served.step
    if (typeof step !== "function") return yield* unusable(installed, "it has no timeline")
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.sleep(options.every).pipe(
          Effect.andThen(() => {
            const before = served.position
            step()
            // The last update stays served: only a move is news.
            return served.position === before
              ? Effect.void
              : Effect.logInfo(`update ${(served.position ?? 0) + 1} of ${served.steps ?? "?"}`)
          })
        )
      )
    )
  }
  return yield* Effect.never
}, Effect.scoped)

/**
 * The default pace of a timeline.
 *
 * @since 0.2.0
 * @category defaults
 */
export const defaultEvery: Duration.Duration = Duration.seconds(30)
