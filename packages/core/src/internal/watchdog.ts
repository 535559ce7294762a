// The time bounds of one request attempt, watched by one fiber on the effect `Clock` (so that tests on
// virtual time see them) instead of a timer per piece of body and a fiber race per wait.
import { type Clock, Duration, Effect, type Fiber, type Scope } from "effect"
import { type SourceError, Transient } from "../SourceError.ts"
import { formatDuration } from "./format.ts"

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
 * records its error in `expired` and breaks off what is waiting (the request, then the body); the code
 * that waited reports `expired` rather than the error the break caused.
 */
export class Watchdog {
  expired: SourceError | undefined
  private waitingSince: number | undefined
  private headersBy: number
  /** Whether the budget, not the response timeout, bounds the wait for the headers. */
  private readonly budgetFirst: boolean
  private breakOff: () => void
  private fiber: Fiber.Fiber<void> | undefined
  private readonly idleMillis: number
  private readonly bounds: Bounds
  private readonly clock: Clock.Clock

  /** Watches an attempt started at `started`; `abortRequest` breaks it off while its headers are awaited. */
  constructor(bounds: Bounds, clock: Clock.Clock, started: number, abortRequest: () => void) {
    this.bounds = bounds
    this.clock = clock
    this.idleMillis = Duration.toMillis(bounds.idle)
    const left = bounds.deadline - started
    this.budgetFirst = left < Duration.toMillis(bounds.responseTimeout)
    this.headersBy = started + (this.budgetFirst ? left : Duration.toMillis(bounds.responseTimeout))
    this.breakOff = abortRequest
  }

  /** The headers are in: from now on the body's bounds apply, and `destroyBody` breaks it off. */
  bodyStarted(destroyBody: (error: Error) => void): void {
    this.headersBy = Number.POSITIVE_INFINITY
    this.breakOff = () => destroyBody(this.expired!)
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
    this.fiber?.interruptUnsafe()
    this.fiber = undefined
  }

  /** Starts the watch in `scope`, whose end ends it too. */
  start(scope: Scope.Scope): Effect.Effect<void> {
    return Effect.map(Effect.forkIn(this.watch, scope), (fiber) => {
      this.fiber = fiber
    })
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

  private readonly watch: Effect.Effect<void> = Effect.suspend(() => {
    const now = this.clock.currentTimeMillisUnsafe()
    const passed = this.check(now)
    if (typeof passed === "number") return Effect.andThen(Effect.sleep(passed - now), this.watch)
    this.expired = passed
    this.breakOff()
    return Effect.void
  })
}

/** The request's overall budget ran out: a body trickling in a byte at a time ends here. */
export const overBudget = (source: string, url: string, budget: Duration.Duration): Transient =>
  new Transient({
    source,
    url,
    reason: "timeout",
    detail: `the request took longer than ${formatDuration(budget)} in all`
  })
