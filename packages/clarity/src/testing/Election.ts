/**
 * The simulator's election: invented counties, precincts, contests and candidates, in the shapes and with
 * the quirks of real Clarity sites (party and incumbency in the candidate's text with a `party="NP"`
 * attribute, amendments written as `isQuestion="false"` with `YES`/`NO` choices, a contest held in some
 * precincts only, names with apostrophes and ampersands), and the votes of each moment of the night.
 *
 * @since 0.1.0
 */

/**
 * A choice on the ballot.
 *
 * @since 0.1.0
 * @category models
 */
export interface Choice {
  readonly key: string
  readonly text: string
  readonly party: string
  /** Its share of the votes, relative to the contest's other choices. */
  readonly weight: number
}

/**
 * A contest, and the precincts that vote in it (all when absent).
 *
 * @since 0.1.0
 * @category models
 */
export interface Contest {
  readonly key: string
  readonly text: string
  readonly isQuestion: boolean
  readonly choices: ReadonlyArray<Choice>
  readonly precincts?: ReadonlyArray<string> | undefined
}

/**
 * A county and its precincts, with the ballots each precinct casts when all are counted.
 *
 * @since 0.1.0
 * @category models
 */
export interface County {
  readonly name: string
  readonly precincts: ReadonlyArray<{ readonly name: string; readonly voters: number }>
}

/**
 * An election.
 *
 * @since 0.1.0
 * @category models
 */
export interface Election {
  readonly id: string
  readonly state: string
  readonly name: string
  readonly date: string
  readonly voteTypes: ReadonlyArray<string>
  readonly counties: ReadonlyArray<County>
  readonly contests: ReadonlyArray<Contest>
}

/**
 * One publication of the site: its version number, its `<Timestamp>` and how far the count is (0 to 1).
 *
 * @since 0.1.0
 * @category models
 */
export interface Version {
  readonly number: number
  readonly timestamp: string
  readonly counted: number
}

const precinctsOf = (names: ReadonlyArray<string>, voters: number) =>
  names.map((name, i) => ({ name, voters: voters + 97 * i }))

/**
 * The built-in election.
 *
 * @since 0.1.0
 * @category data
 */
export const election: Election = {
  id: "115903",
  state: "GA",
  name: "November 3, 2026 - General Election",
  date: "11/3/2026",
  voteTypes: ["Election Day Votes", "Advanced Voting Votes", "Absentee by Mail Votes", "Provisional Votes"],
  counties: [
    { name: "Abernathy", precincts: precinctsOf(["Mill Creek", "O'Kelley Crossroads", "Town Hall"], 820) },
    { name: "Birchwood", precincts: precinctsOf(["Birchwood City", "Pine & Cedar", "Rural 3"], 610) },
    { name: "Coalfield", precincts: precinctsOf(["Coalfield Annex"], 1_430) }
  ],
  contests: [
    {
      key: "1",
      text: "Governor",
      isQuestion: false,
      choices: [
        { key: "1", text: "Marisol Vance (I) (Rep)", party: "NP", weight: 52 },
        { key: "2", text: "Theo Okafor (Dem)", party: "NP", weight: 45 },
        { key: "3", text: "Ruth Bell-Haynes (Lib)", party: "NP", weight: 3 }
      ]
    },
    {
      key: "2",
      text: "US House District 14",
      isQuestion: false,
      choices: [
        { key: "4", text: "Daniel O'Shea (Rep)", party: "NP", weight: 61 },
        { key: "5", text: "Priya Raman (Dem)", party: "NP", weight: 39 }
      ]
    },
    {
      key: "3",
      text: "County Commission District 2",
      isQuestion: false,
      precincts: ["Mill Creek", "Town Hall"],
      choices: [{ key: "6", text: "Hollis Grady (I) (Rep)", party: "NP", weight: 1 }]
    },
    {
      key: "4",
      text: "Constitutional Amendment #1",
      isQuestion: false,
      choices: [
        { key: "7", text: "YES", party: "NP", weight: 64 },
        { key: "8", text: "NO", party: "NP", weight: 36 }
      ]
    },
    {
      key: "5",
      text: "Statewide Referendum A",
      isQuestion: true,
      choices: [
        { key: "9", text: "Yes", party: "NP", weight: 48 },
        { key: "10", text: "No", party: "NP", weight: 52 }
      ]
    }
  ]
}

/**
 * The night's publications: nothing counted when the polls close, then three updates and the final
 * count.
 *
 * @since 0.1.0
 * @category data
 */
export const night: readonly [Version, ...Array<Version>] = [
  { number: 318_204, timestamp: "11/3/2026 7:01:12 PM EST", counted: 0 },
  { number: 318_251, timestamp: "11/3/2026 8:45:03 PM EST", counted: 0.3 },
  { number: 318_307, timestamp: "11/3/2026 11:12:40 PM EST", counted: 0.75 },
  { number: 318_390, timestamp: "11/4/2026 2:05:59 AM EST", counted: 1 }
]

// A small deterministic spread, so that vote types and precincts differ from one another.
const spread = (...parts: ReadonlyArray<string | number>) => {
  let hash = 2166136261
  for (const char of parts.join("|")) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0
  return 0.6 + (hash % 1000) / 1250
}

/**
 * Whether precinct `index` of `count` precincts has reported when `counted` of the count is done: they
 * report in order.
 *
 * @since 0.1.0
 * @category votes
 */
export const hasReported = (index: number, count: number, counted: number): boolean =>
  index < Math.round(count * counted)

/**
 * The votes of `choice` of `contest` in a precinct, by vote type, when `counted` of the count is done.
 *
 * @since 0.1.0
 * @category votes
 */
export const votes = (
  contest: Contest,
  choice: Choice,
  precinct: { readonly name: string; readonly voters: number },
  reported: boolean,
  voteTypes: ReadonlyArray<string>
): ReadonlyArray<number> => {
  if (!reported) return voteTypes.map(() => 0)
  const weights = contest.choices.reduce((sum, c) => sum + c.weight, 0)
  const share = (precinct.voters * choice.weight) / weights
  return voteTypes.map((type, i) =>
    Math.floor((share * spread(contest.key, choice.key, precinct.name, type)) / (i === 3 ? 40 : 3))
  )
}
