/**
 * A simulator that changes over time: a list of versions of what it serves (election night's updates,
 * successive snapshots of a file), one of them current. A test moves it on with `advance` between reads and
 * sees real changes; `reset` goes back to where it started.
 *
 * @example
 * ```ts
 * import { Simulator, Timeline } from "@electfeed/core/testing"
 *
 * const timeline = Timeline.make([{ votes: 0 }, { votes: 120 }, { votes: 300 }])
 * const handler = Timeline.handler(timeline, (version) => ({ status: 200, body: JSON.stringify(version) }))
 * // yield* Simulator.serve(handler); read; timeline.advance(); read again ...
 * ```
 *
 * @since 0.2.0
 */
import type { Handler, Reply, SimRequest } from "./Simulator.ts"

/**
 * Versions and the current one.
 *
 * @since 0.2.0
 * @category models
 */
export interface Timeline<A> {
  readonly versions: ReadonlyArray<A>
  /** The index of the current version, from 0 to `versions.length - 1`. */
  readonly position: number
  readonly current: A
  /** Whether the current version is the last. */
  readonly atEnd: boolean
  /** Moves to the next version; on the last one, stays there. */
  readonly advance: () => void
  /** Goes back to the version it started at. */
  readonly reset: () => void
}

/**
 * A timeline over `versions`, starting at the first (default) or, with `start: "last"`, at the last (a
 * simulator that serves its final state unless a test asks for the timeline).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <A>(
  versions: readonly [A, ...Array<A>],
  options?: { readonly start?: "first" | "last" | undefined }
): Timeline<A> => {
  const last = versions.length - 1
  const start = options?.start === "last" ? last : 0
  let position = start
  return {
    versions,
    get position() {
      return position
    },
    get current() {
      return versions[position]!
    },
    get atEnd() {
      return position === last
    },
    advance: () => {
      position = Math.min(position + 1, last)
    },
    reset: () => {
      position = start
    }
  }
}

/**
 * A handler that answers each request from the version current when it arrives.
 *
 * @since 0.2.0
 * @category handlers
 */
export const handler =
  <A>(timeline: Timeline<A>, answer: (version: A, request: SimRequest) => Reply | Promise<Reply>): Handler =>
  (request) =>
    answer(timeline.current, request)
