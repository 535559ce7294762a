/**
 * Election night, as the simulator replays it: the SOS's pre-election test data (fake results at
 * 100%), its reset to zero before the polls close (every count goes down), then updates through the
 * night to the final canvass. Polling between updates sees real changes, leads that change hands, and
 * that one regression.
 *
 * Counts only grow from the reset on, each selection at its own pace.
 *
 * @since 0.1.0
 */
import type * as ContestId from "../ContestId.ts"
import * as Election from "./Election.ts"

/**
 * One update of the results.
 *
 * @since 0.1.0
 * @category models
 */
export interface Moment {
  /** As the API writes it. */
  readonly reportingTime: string
  /** The share of the final count that is in, from 0 to 1. */
  readonly progress: number
  /** Whether these are the SOS's fake pre-election test results. */
  readonly test: boolean
}

/**
 * The updates, in order. The test data is dated before daylight saving time ends (Pacific daylight
 * time), the rest after it (standard time).
 *
 * @since 0.1.0
 * @category timeline
 */
export const moments: ReadonlyArray<Moment> = [
  { reportingTime: "October 29, 2026, 11:59 a.m.", progress: 1, test: true },
  { reportingTime: "November 3, 2026, 4:33 p.m.", progress: 0, test: false },
  { reportingTime: "November 3, 2026, 8:26 p.m.", progress: 0.18, test: false },
  { reportingTime: "November 3, 2026, 9:52 p.m.", progress: 0.47, test: false },
  { reportingTime: "November 3, 2026, 11:55 p.m.", progress: 0.79, test: false },
  { reportingTime: "November 4, 2026, 12:11 a.m.", progress: 0.93, test: false },
  { reportingTime: "December 4, 2026, 5:00 p.m.", progress: 1, test: false }
]

/**
 * The last update: the final results.
 *
 * @since 0.1.0
 * @category timeline
 */
export const final: Moment = moments.at(-1)!

/**
 * A contest's share of the whole for `county` (1 for the whole area).
 *
 * @since 0.1.0
 * @category counting
 */
export const shareOf = (contest: Election.Contest, county: ContestId.County | undefined): number =>
  county === undefined
    ? 1
    : Election.countyWeight(county) / contest.counties.reduce((sum, c) => sum + Election.countyWeight(c), 0)

/**
 * Precincts reporting and in all, for the whole area or one county.
 *
 * @since 0.1.0
 * @category counting
 */
export const precinctsAt = (
  contest: Election.Contest,
  moment: Moment,
  county: ContestId.County | undefined
): { readonly reporting: number; readonly total: number } => {
  const total = Math.max(1, Math.round(contest.precincts * shareOf(contest, county)))
  // The test data counts against a precinct total that the live count later corrects.
  if (moment.test) {
    const testTotal = total + Math.max(1, Math.round(total * 0.002))
    return { reporting: testTotal, total: testTotal }
  }
  return { reporting: Math.round(total * moment.progress * contest.finalReporting), total }
}

/**
 * Votes for each of `shares` (final shares of `ballots`) at `moment`. Each selection is counted at its
 * own pace (some are ahead early, as mail ballots that lean one way are counted first), so leads can
 * change hands while every count only grows; a county's counts also lean away from the whole area's.
 * `seed` names the selections, so that the same contest always counts the same way.
 *
 * @since 0.1.0
 * @category counting
 */
export const votesAt = (
  shares: ReadonlyArray<number>,
  ballots: number,
  moment: Moment,
  seed: string,
  county: { readonly share: number; readonly slug: string } | undefined
): ReadonlyArray<number> =>
  shares.map((share, i) => {
    const tilt = county === undefined ? 1 : county.share * (0.85 + 0.3 * Election.unit(`${seed}/${county.slug}/${i}`))
    // The test data is made up: the field reversed.
    if (moment.test) return Math.round(ballots * 0.85 * shares[shares.length - 1 - i]! * tilt)
    const pace = 0.6 + Election.unit(`${seed}/pace/${i}`)
    return Math.round(ballots * share * moment.progress ** pace * tilt)
  })
