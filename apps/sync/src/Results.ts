/**
 * Results people can read: each stored contest summed up (leader, margin, percent reporting, last
 * update) and grouped as a newsroom looks at them (statewide offices, presidential primaries, ballot
 * measures, districts, judicial retention). The same rows make `electfeed results`' table, CSV and
 * NDJSON, the demo's summary, the results page and `/api/contests`, so they always agree.
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { Schema } from "effect"

/**
 * Where a contest is shown: statewide offices, presidential primaries, ballot measures, district
 * contests, judicial retention, and `other` (a county's breakdown, a local measure).
 *
 * @since 0.2.0
 * @category models
 */
export const Group = Schema.Literals(["statewide", "primaries", "measures", "districts", "retention", "other"])

/**
 * @since 0.2.0
 * @category models
 */
export type Group = typeof Group.Type

/**
 * The groups in the order they are shown, with their headings.
 *
 * @since 0.2.0
 * @category models
 */
export const groups: ReadonlyArray<{ readonly id: Group; readonly title: string }> = [
  { id: "statewide", title: "Statewide offices" },
  { id: "primaries", title: "Presidential primaries" },
  { id: "measures", title: "Ballot measures" },
  { id: "districts", title: "District contests" },
  { id: "retention", title: "Judicial retention" },
  { id: "other", title: "Counties and other contests" }
]

/**
 * The group a contest is shown in.
 *
 * @since 0.2.0
 * @category grouping
 */
export const groupOf = (contest: Feed.ContestResult): Group => {
  if (contest.contestKind === "retention") return "retention"
  if (contest.jurisdiction.county !== null) return "other"
  if (contest.contestKind === "measure") return contest.jurisdiction.district === null ? "measures" : "other"
  if (contest.jurisdiction.district !== null) return "districts"
  return contest.party === null ? "statewide" : "primaries"
}

/**
 * A contest summed up, with its selections (for the page's detail) and where it is stored.
 *
 * @since 0.2.0
 * @category models
 */
export const ContestSummary = Schema.Struct({
  source: Schema.String,
  key: Schema.String,
  group: Group,
  /** The title without the source's "- Statewide Results" tail; a measure's is "Prop N: title". */
  label: Schema.String,
  contest: Feed.ContestResult,
  /** The first selection by votes, once anyone has votes. */
  leader: Schema.NullOr(
    Schema.Struct({
      name: Schema.String,
      party: Schema.NullOr(Schema.String),
      votes: Schema.Number,
      percent: Schema.Number
    })
  ),
  /** The leader's lead over the runner-up, in percentage points; null when unopposed or without votes. */
  margin: Schema.NullOr(Schema.Number),
  /** When the store last saw it change (ISO-8601 UTC). */
  observedAt: Schema.String,
  /** Whether its last change lowered a count. */
  regressed: Schema.Boolean
})

/**
 * @since 0.2.0
 * @category models
 */
export type ContestSummary = typeof ContestSummary.Type

/**
 * A contest as the store holds it.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredContest {
  readonly source: string
  readonly key: string
  readonly contest: Feed.ContestResult
  readonly observedAt: string
  readonly regressed: boolean
}

const byVotes = (contest: Feed.ContestResult) => [...contest.selections].sort((a, b) => b.votes - a.votes)

// Percentages come with one or two decimals: a difference of two is rounded so 52.3 - 40.1 is 12.2.
const points = (n: number) => Math.round(n * 100) / 100

/**
 * Sums up a stored contest.
 *
 * @since 0.2.0
 * @category summing up
 */
export const summarize = (stored: StoredContest): ContestSummary => {
  const { contest } = stored
  const [first, second] = byVotes(contest)
  const leader =
    first === undefined || first.votes === 0
      ? null
      : { name: first.name, party: first.party, votes: first.votes, percent: first.percent }
  return {
    source: stored.source,
    key: stored.key,
    group: groupOf(contest),
    label:
      contest.measure === undefined
        ? contest.title.replace(/ - (Statewide|Districtwide) Results$/, "")
        : `Prop ${contest.measure.number}: ${contest.measure.title}`,
    contest,
    leader,
    margin: leader === null || second === undefined ? null : points(first!.percent - second.percent),
    observedAt: stored.observedAt,
    regressed: stored.regressed
  }
}

/**
 * Sums up a contest as an event carries it (read, or a change just stored).
 *
 * @since 0.2.0
 * @category summing up
 */
export const summarizeEvent = (event: Feed.EventOf<"ContestResult">): ContestSummary =>
  summarize({
    source: event.source,
    key: event.key,
    contest: event.data,
    observedAt: event.observedAt,
    regressed: event.regressed === true
  })

const measureNumber = (row: ContestSummary) => Number.parseFloat(row.contest.measure?.number ?? "") || 0

/**
 * The order within a group: offices by title, measures by number, districts closest first, the rest
 * by label.
 *
 * @since 0.2.0
 * @category grouping
 */
export const compare = (a: ContestSummary, b: ContestSummary): number => {
  const group = groups.findIndex((g) => g.id === a.group) - groups.findIndex((g) => g.id === b.group)
  if (group !== 0) return group
  if (a.group === "measures") return measureNumber(a) - measureNumber(b) || a.label.localeCompare(b.label)
  if (a.group === "districts") {
    const closeness = (a.margin ?? Number.POSITIVE_INFINITY) - (b.margin ?? Number.POSITIVE_INFINITY)
    if (closeness !== 0 && !Number.isNaN(closeness)) return closeness
  }
  return a.label.localeCompare(b.label) || a.key.localeCompare(b.key)
}

/**
 * The contests by group, in the order shown; empty groups left out.
 *
 * @since 0.2.0
 * @category grouping
 */
export const grouped = (
  rows: ReadonlyArray<ContestSummary>
): ReadonlyArray<{ readonly id: Group; readonly title: string; readonly rows: ReadonlyArray<ContestSummary> }> => {
  const sorted = [...rows].sort(compare)
  return groups
    .map((group) => ({ ...group, rows: sorted.filter((row) => row.group === group.id) }))
    .filter((group) => group.rows.length > 0)
}

/**
 * The figures as people read them, shared by the table, the CSV and the page.
 *
 * @since 0.2.0
 * @category formatting
 */
export const format = {
  percent: (n: number) => `${n.toFixed(1)}%`,
  margin: (row: ContestSummary) =>
    row.leader === null ? "" : row.margin === null ? "unopposed" : `+${row.margin.toFixed(1)}`,
  leader: (row: ContestSummary) =>
    row.leader === null
      ? "no votes yet"
      : `${row.leader.name} ${row.leader.percent.toFixed(1)}%${row.margin === null ? " (unopposed)" : ` (+${row.margin.toFixed(1)})`}`
} as const

const pad = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width))

const line = (row: ContestSummary) =>
  `  ${pad(row.label, 54)} ${pad(format.leader(row), 42)} ${row.contest.reporting.percent.toFixed(1).padStart(5)}%`

/**
 * The contests as a table for a terminal, by group. `summary` shortens it as the demo does: the five
 * closest district contests, retention as a count, no county breakdowns.
 *
 * @since 0.2.0
 * @category formatting
 */
export const table = (rows: ReadonlyArray<ContestSummary>, options?: { readonly summary?: boolean }): Array<string> => {
  const summary = options?.summary === true
  const out = [`${pad("Contest", 56)} ${pad("Leading (margin in points)", 42)} Reporting`]
  for (const group of grouped(rows)) {
    if (summary && group.id === "retention") {
      const retained = group.rows.filter((row) => row.leader?.name === "Yes").length
      out.push(`Judicial retention: ${retained} of ${group.rows.length} justices retained`)
    } else if (summary && group.id === "districts") {
      out.push(
        "Closest district contests",
        ...group.rows
          .filter((row) => row.margin !== null)
          .slice(0, 5)
          .map(line)
      )
    } else if (!summary || group.id !== "other") {
      out.push(group.title, ...group.rows.map(line))
    }
  }
  return out
}

/**
 * The CSV columns, one row per contest; figures as numbers (the page shows them with one decimal).
 *
 * @since 0.2.0
 * @category formatting
 */
export const csvColumns = [
  "group",
  "source",
  "key",
  "contest_id",
  "contest",
  "leader",
  "leader_party",
  "leader_votes",
  "leader_percent",
  "margin",
  "percent_reporting",
  "precincts_reporting",
  "precincts_total",
  "updated_at",
  "observed_at"
] as const

/**
 * One CSV cell (RFC 4180), with a cell a spreadsheet would run as a formula made inert.
 *
 * @since 0.2.0
 * @category formatting
 */
export const csvCell = (value: string | number | null): string => {
  if (value === null) return ""
  const text = String(value)
  // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/**
 * The values of one contest's CSV row, in {@link csvColumns}' order.
 *
 * @since 0.2.0
 * @category formatting
 */
export const csvValues = (row: ContestSummary): ReadonlyArray<string | number | null> => [
  row.group,
  row.source,
  row.key,
  row.contest.contestId,
  row.label,
  row.leader?.name ?? null,
  row.leader?.party ?? null,
  row.leader?.votes ?? null,
  row.leader?.percent ?? null,
  row.margin,
  row.contest.reporting.percent,
  row.contest.reporting.precinctsReporting,
  row.contest.reporting.precinctsTotal,
  row.contest.updatedAt,
  row.observedAt
]

/**
 * The contests as CSV (RFC 4180, with a header), in the order shown.
 *
 * @since 0.2.0
 * @category formatting
 */
export const csv = (rows: ReadonlyArray<ContestSummary>): Array<string> => [
  csvColumns.join(","),
  ...[...rows].sort(compare).map((row) => csvValues(row).map(csvCell).join(","))
]

/**
 * The contests as NDJSON: one summary per line, in the order shown.
 *
 * @since 0.2.0
 * @category formatting
 */
export const ndjson = (rows: ReadonlyArray<ContestSummary>): Array<string> =>
  [...rows].sort(compare).map((row) => Feed.stableJson(row))

/**
 * The first contests among `changes` with their leader and percent reporting, for a poll line:
 * `Governor: Okafor 27.9%, 47.0% reporting; Prop 1: Yes 61.2%, 47.0% reporting; and 57 more` (the
 * rest of the `total` changes counted). Empty when no contest changed.
 *
 * @since 0.2.0
 * @category formatting
 */
export const changedContests = (changes: ReadonlyArray<Feed.FeedEvent>, total: number, shown = 3): string => {
  const named = changes.filter((change) => change.kind === "ContestResult").slice(0, shown)
  if (named.length === 0) return ""
  const lines = named.map((event) => {
    if (event.change === "removed") return `${event.data.title}: removed`
    const row = summarizeEvent(event)
    const leader = row.leader === null ? "no votes yet" : `${row.leader.name} ${format.percent(row.leader.percent)}`
    return `${row.label}: ${leader}, ${format.percent(row.contest.reporting.percent)} reporting`
  })
  return [...lines, ...(total > named.length ? [`and ${total - named.length} more`] : [])].join("; ")
}
