/**
 * Bodies as the API writes them: every number as formatted text (comma-grouped candidate votes, plain
 * yes/no votes, one-decimal percents, `47%` for candidate contests and `47.0%` for measures), and the CSV
 * of `?f=csv` (one row per selection, the contest's fields repeated, a header row, CRLF line ends).
 *
 * @since 0.1.0
 */
import * as ContestId from "../ContestId.ts"
import * as Wire from "../Wire.ts"
import * as Election from "./Election.ts"
import * as Timeline from "./Timeline.ts"

/**
 * A contest as JSON.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonContest = typeof Wire.Contest.Encoded

/**
 * A results body as JSON: one contest or an array.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonBody = typeof Wire.Body.Encoded

/**
 * `/returns/status` as JSON.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonStatus = typeof Wire.Status.Encoded

const grouped = (n: number) => n.toLocaleString("en-US")

const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole).toFixed(1)

const reportingText = (reporting: number, total: number, list: Wire.ListKey) => {
  const shown = percent(reporting, total)
  return `${list === "candidates" ? shown.replace(/\.0$/, "") : shown}% (${grouped(reporting)} of ${grouped(total)}) precincts reporting`
}

const titleIn = (contest: Election.Contest, county: ContestId.County | undefined) =>
  county === undefined
    ? contest.title
    : `${contest.title.slice(0, contest.title.lastIndexOf(" - "))} - ${county.name} County Results`

/**
 * A contest at `moment`, for the whole area or `county`, its measures or justices limited to those
 * `keep` accepts.
 *
 * @since 0.1.0
 * @category json
 */
export const contestJson = (
  contest: Election.Contest,
  moment: Timeline.Moment,
  county: ContestId.County | undefined,
  keep: (item: Election.YesNo) => boolean = () => true
): JsonContest => {
  const { reporting, total } = Timeline.precinctsAt(contest, moment, county)
  const header = {
    raceTitle: titleIn(contest, county),
    Reporting: reportingText(reporting, total, contest.list),
    ReportingTime: moment.reportingTime
  }
  const lean = county === undefined ? undefined : { share: Timeline.shareOf(contest, county), slug: county.slug }
  if (contest.list === "candidates") {
    const votes = Timeline.votesAt(
      contest.choices.map((c) => c.share),
      contest.ballots,
      moment,
      contest.path,
      lean
    )
    const cast = votes.reduce((sum, v) => sum + v, 0)
    return {
      ...header,
      candidates: contest.choices.map((choice, i) => ({
        Name: choice.name,
        Party: choice.party,
        Votes: grouped(votes[i]!),
        Percent: percent(votes[i]!, cast),
        incumbent: choice.incumbent
      }))
    }
  }
  const items = contest.yesNo.filter(keep).map((item) => {
    const seed = `${contest.path}/${item.name}`
    const [yes, no] = Timeline.votesAt([item.yes, 1 - item.yes], contest.ballots, moment, seed, lean) as [
      number,
      number
    ]
    return {
      Name: item.name,
      ...(item.number === undefined ? {} : { Number: item.number }),
      yesVotes: String(yes),
      yesPercent: percent(yes, yes + no),
      noVotes: String(no),
      noPercent: percent(no, yes + no)
    }
  })
  return { ...header, [contest.list]: items } as JsonContest
}

/**
 * `/returns/status` at `moment`: each county's precincts (those of its governor's race, which every
 * county votes in), turnout and whether its count is final (`U`) or not yet (`R`).
 *
 * @since 0.1.0
 * @category json
 */
export const statusJson = (moment: Timeline.Moment): JsonStatus => {
  const everywhere = Election.contests.find((contest) => contest.path === "/returns/governor")!
  return Object.fromEntries(
    ContestId.counties.map((county) => {
      const { reporting, total } = Timeline.precinctsAt(everywhere, moment, county)
      const registered = Election.registeredVoters(county)
      const turnout = Math.round(registered * 0.64 * (moment.test ? 0.85 : moment.progress))
      return [
        county.slug,
        {
          county: county.code,
          countyName: county.name,
          reportType: moment === Timeline.final ? "U" : "R",
          precinctsReporting: reporting,
          precinctsTotal: total,
          precinctsReportingPercent: percent(reporting, total),
          voterTurnout: turnout,
          totalRegisteredVoters: registered,
          voterTurnoutPercentage: percent(turnout, registered),
          timestamp: moment.reportingTime
        }
      ]
    })
  )
}

const contestColumns = ["raceTitle", "Reporting", "ReportingTime"]
const yesNoColumns = ["yesVotes", "yesPercent", "noVotes", "noPercent"]

const csvColumns: Readonly<Record<Wire.ListKey, ReadonlyArray<string>>> = {
  candidates: [...contestColumns, "Name", "Party", "Votes", "Percent", "incumbent"],
  "ballot-measures": [...contestColumns, "Number", "Name", ...yesNoColumns],
  "supreme-court": [...contestColumns, "Name", ...yesNoColumns],
  "courts-of-appeal": [...contestColumns, "Name", ...yesNoColumns]
}

const cell = (value: unknown) => {
  const text = value === undefined || value === null ? "" : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

const table = (rows: ReadonlyArray<ReadonlyArray<unknown>>) =>
  rows.map((row) => row.map(cell).join(",") + "\r\n").join("")

/**
 * Contests as CSV: a header, then one row per selection of `list`.
 *
 * @since 0.1.0
 * @category csv
 */
export const contestsCsv = (list: Wire.ListKey, contests: ReadonlyArray<JsonContest>): string => {
  const columns = csvColumns[list]
  return table([
    columns,
    ...contests.flatMap((contest) =>
      (contest[list] ?? []).map((item) => {
        const fields: Record<string, unknown> = { ...contest, ...item }
        return columns.map((column) => fields[column])
      })
    )
  ])
}

/**
 * `/returns/status` as CSV: a header (the slug column, then the fields of the first county), then one
 * row per county.
 *
 * @since 0.1.0
 * @category csv
 */
export const statusCsv = (status: JsonStatus): string => {
  const entries = Object.entries(status)
  const fields = Object.keys(entries[0]?.[1] ?? {})
  return table([
    [Wire.statusSlugColumn, ...fields],
    ...entries.map(([slug, county]) => [slug, ...fields.map((field) => county[field])])
  ])
}
