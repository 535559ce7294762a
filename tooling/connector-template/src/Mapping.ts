/**
 * The API's contests as the feed's `ContestResult`s.
 *
 * @since 0.1.0
 */
import { type Feed, Party, type Source } from "@electfeed/core"
import type { Contest, Results } from "./Wire.ts"

/**
 * The state's USPS code. The conformance suite fails while it is the placeholder `XX`.
 *
 * @since 0.1.0
 * @category constants
 */
export const state = "XX"

const percentOf = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10)

/**
 * A contest as a `ContestResult`, with its timestamp.
 *
 * @since 0.1.0
 * @category mapping
 */
export const contestResult = (contest: Contest, updatedAt: string): Feed.ContestResult => {
  const total = contest.candidates.reduce((sum, c) => sum + c.votes, 0)
  return {
    contestId: contest.id,
    title: contest.name,
    office: contest.name,
    contestKind: "candidate",
    jurisdiction: { state, county: null, district: contest.district },
    party: null,
    reporting: {
      precinctsReporting: contest.precincts.reporting,
      precinctsTotal: contest.precincts.total,
      percent: percentOf(contest.precincts.reporting, contest.precincts.total)
    },
    updatedAt,
    selections: contest.candidates.map((c) => ({
      name: c.name,
      party: c.party,
      partyCode: Party.code(c.party),
      votes: c.votes,
      percent: percentOf(c.votes, total),
      incumbent: c.incumbent
    }))
  }
}

/**
 * The contests of a body, keyed by the API's contest id.
 *
 * @since 0.1.0
 * @category mapping
 */
export const contests = (body: Results): ReadonlyArray<Source.Entity<"ContestResult">> =>
  body.contests.map((contest) => ({ key: contest.id, data: contestResult(contest, body.updated) }))
