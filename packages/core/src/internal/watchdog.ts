// The time bounds of one request attempt, watched by one timer on the effect `Clock` (so that tests on
// virtual time see them) instead of a timer per piece of body and a fiber race per wait.
import { Clock, Context, Duration, Effect, type Fiber } from "effect"
import { type SourceError, Transient } from "../SourceError.ts"
import { formatDuration } from "./format.ts"

const ignore = () => {}

/**
 * The `Clock` that effect provides when nothing else is. Its sleeps are plain Node timers, so on it the
 * watch sets its timer itself: a fiber to sleep on cost several times as much per request. A test's
 * virtual clock still gets the fiber, so that the watch sleeps on it.
 */
const liveClock = Context.get(Context.empty(), Clock.Clock)

/** The longest wait a Node timer takes; a longer one is a wait for this long, and a look again. */
const longestTimer = 2 ** 31 - 1

/** What an attempt is bounded by; every time is epoch ms on the effect `Clock`. */
export interface Bounds {
  readonly source: string
  readonly url: string
  /** When the request's whole budget runs out, body included. */
  readonly deadline: number
  readonly budget: Duration.Duration
  /** Longest wait for the response's headers. */
  readonly responseTimeout: Duration.Duration
  /** Longest silence while the body is awaited. */
  readonly idle: Duration.Duration
}

/**
 * The watch over one attempt: the headers within the response timeout, then no wait for a piece of the
 * body longer than the idle timeout, and all of it before the deadline. When a bound passes, the watch
 * records its error in `expired` and breaks the exchange off; the code that waited reports `expired`
 * rather than the error the break caused.
 */
export class Watchdog {
  expired: SourceError | undefined
  private waitingSince: number | undefined
  private headersBy: number
  /** Whether the budget, not the response timeout, bounds the wait for the headers. */
  private readonly budgetFirst: boolean
  private breakOff: (reason: Error) => void = ignore
  private fiber: Fiber.Fiber<void> | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly idleMillis: number
  private readonly bounds: Bounds
  private readonly clock: Clock.Clock
  private readonly context: Context.Context<never>

  /** Watches an attempt started at `started`, on the `Clock` of `context`. */
  constructor(bounds: Bounds, context: Context.Context<never>, started: number) {
    this.bounds = bounds
    this.context = context
    this.clock = Context.get(context, Clock.Clock)
    this.idleMillis = Duration.toMillis(bounds.idle)
    const left = bounds.deadline - started
    this.budgetFirst = left < Duration.toMillis(bounds.responseTimeout)
    this.headersBy = started + (this.budgetFirst ? left : Duration.toMillis(bounds.responseTimeout))
  }

  /** The headers are in: from now on the body's bounds apply. */
  bodyStarted(): void {
    this.headersBy = Number.POSITIVE_INFINITY
  }

  /** A wait for the next piece of the body starts. */
  waiting(): void {
    this.waitingSince = this.clock.currentTimeMillisUnsafe()
  }

  /** A piece came: the reader is busy with it, not waiting. */
  arrived(): void {
    this.waitingSince = undefined
  }

  /** Ends the watch: the attempt is over. */
  stop(): void {
    clearTimeout(this.timer)
    this.fiber?.interruptUnsafe()
    this.timer = undefined
    this.fiber = undefined
  }

  /** Ends the watch and breaks off what is left of the exchange: nobody is going to read it. */
  close(): void {
    this.stop()
    this.breakOff(new Error("the response was not read to the end"))
  }

  /**
   * Starts the watch as the request goes out; `abort` breaks the exchange off when a bound passes. On a
   * clock other than the live one, the watch sleeps in a fiber of its own, not a child of the caller's:
   * either way, whoever starts it stops it.
   */
  start(abort: (reason: Error) => void): void {
    this.breakOff = abort
    this.look()
  }

  /** The bound that has passed at `now`, or else when to look again. */
  private check(now: number): SourceError | number {
    const { source, url, deadline } = this.bounds
    // Errors are built only when a bound passes: one is costly to make (its stack), and most requests end first.
    if (now >= this.headersBy) {
      return this.budgetFirst
        ? overBudget(source, url, this.bounds.budget)
        : new Transient({
            source,
            url,
            reason: "timeout",
            detail: `no response within ${formatDuration(this.bounds.responseTimeout)}`
          })
    }
    if (now >= deadline) return overBudget(source, url, this.bounds.budget)
    const idleFrom = this.waitingSince
    if (idleFrom !== undefined && now - idleFrom >= this.idleMillis) {
      return new Transient({
        source,
        url,
        reason: "timeout",
        detail: `the body stalled for ${formatDuration(this.bounds.idle)}`
      })
    }
    return Math.min(this.headersBy, deadline, (idleFrom ?? now) + this.idleMillis)
  }

  /** Breaks the exchange off if a bound has passed, or else waits until one may have and looks again. */
  private readonly look = (): void => {
    const now = this.clock.currentTimeMillisUnsafe()
    const passed = this.check(now)
    if (typeof passed !== "number") {
      this.expired = passed
      this.breakOff(passed)
      return
    }
    // Whole milliseconds, so at least one. A test clock's time takes fractions (a jittered retry wait
    // adds them), and a wait summed onto it can end a hair before the bound: a sleep of what is left
    // then rounds to no sleep at all, and the watch would look again at once, forking deeper until the
    // stack overflowed and the watch was gone.
    const wait = Math.ceil(passed - now)
    if (this.clock === liveClock) {
      this.timer = setTimeout(this.look, Math.min(wait, longestTimer))
    } else {
      this.fiber = Effect.runForkWith(this.context)(Effect.andThen(Effect.sleep(wait), Effect.sync(this.look)))
    }
  }
}

/** The request's overall budget ran out: a body trickling in a byte at a time ends here. */
export const overBudget = (source: string, url: string, budget: Duration.Duration): Transient =>
  new Transient({
    source,
    url,
    reason: "timeout",
    detail: `the request took longer than ${formatDuration(budget)} in all`
  })
