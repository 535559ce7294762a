/**
 * `detail.xml` as it streams: each `<Contest>` is gathered (its choices' votes by vote type and by
 * reporting unit) and, when it closes, given out as `ContestResult`s of the site's total and of each
 * county or precinct the level asks for. Only one contest is held at a time.
 */
import type { Feed, Source } from "@electfeed/core"
import { Result } from "effect"
import type { Level } from "../Config.ts"
import * as Mapping from "../Mapping.ts"
import * as Grid from "./grid.ts"
import type * as Xml from "./xml.ts"

/** What a read of `detail.xml` is set to. */
export interface Settings {
  readonly state: string
  /** The county of a county site (`GA/Fulton`), else null. */
  readonly county: string | null
  readonly level: Level
  readonly voteTypes: boolean
  readonly timeZone: string | undefined
}

type Reporting = Feed.ContestResult["reporting"]

interface Tallies {
  readonly votes: Array<number>
  readonly voteTypes: Array<Record<string, number>>
}

interface Contest {
  readonly key: string
  readonly title: string
  readonly isQuestion: boolean
  readonly reporting: Reporting
  readonly choices: Array<{ readonly text: string; readonly party: string | undefined }>
  readonly total: Tallies
  readonly units: Grid.Grid
  readonly counties: Map<string, Reporting>
  readonly voteTypes: Set<string>
}

const noReporting: Reporting = { precinctsReporting: 0, precinctsTotal: 0, percent: 0 }

const count = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined

const percent = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,3}(?:\.\d+)?$/.test(text) ? Number(text) : undefined

/** Precincts reporting of a contest or a county: `precinctsParticipating` (state sites) or `precinctsReporting` (county sites, where it is the number taking part). */
const reportingOf = (attributes: Readonly<Record<string, string>>): Reporting => {
  const reported = count(attributes["precinctsReported"]) ?? 0
  const total = count(attributes["precinctsParticipating"]) ?? count(attributes["precinctsReporting"]) ?? 0
  return {
    precinctsReporting: reported,
    precinctsTotal: total,
    percent: percent(attributes["precinctsReportingPercent"]) ?? Mapping.percentOf(reported, total)
  }
}

/**
 * An entity of a closed contest, built when it is asked for ({@link build}): a contest of thousands of
 * precincts gives its entities a few at a time, each short-lived, rather than thousands at once. Each
 * is a small record (the unit's number, -1 for the site's total), not a closure: thousands of them wait
 * while the contest's entities are built, long enough for V8 to keep them.
 */
export interface Pending {
  readonly contest: Closed
  readonly unit: number
}

/** A closed contest, and what building its entities needs. */
interface Closed {
  readonly build: (unit: number) => Source.Entity<"ContestResult">
}

/** The entity `pending` stands for. */
export const build = (pending: Pending): Source.Entity<"ContestResult"> => pending.contest.build(pending.unit)

/**
 * A handler of `detail.xml`'s elements that pushes each closed contest's entities into the array last
 * given to `into`.
 */
export const assembler = (settings: Settings) => {
  let out: Array<Pending> = []
  const path: Array<string> = []
  let text = ""
  let updatedAt: string | null = null
  const turnoutCounties = new Map<string, Reporting>()
  const turnoutPrecincts = new Map<string, number>()
  let contest: Contest | undefined
  // Contests of a site mostly list the same units: their names are kept once for the file, unless a
  // file names so many that holding them all would cost more than one contest does.
  const unitNames = Grid.names()
  const maxUnitNames = 100_000
  let choice = -1
  let voteType: string | undefined
  const unitElement = settings.level === "county" ? "County" : settings.level === "precinct" ? "Precinct" : undefined

  const wrongLevel = (found: string) =>
    `the level ${settings.level} reads <${unitElement}> units, but this detail.xml has <${found}> units: ` +
    `a state site's detail lists counties, a county site's precincts`

  const votesOf = (attributes: Readonly<Record<string, string>>, what: string): number | string => {
    const votes = count(attributes["votes"] ?? attributes["totalVotes"])
    return (
      votes ??
      `expected a count of votes for ${what}, got ${JSON.stringify(attributes["votes"] ?? attributes["totalVotes"] ?? null)}`
    )
  }

  const open = (name: string, attributes: Readonly<Record<string, string>>): string | undefined => {
    const parent = path[path.length - 1]
    const grandparent = path[path.length - 2]
    path.push(name)
    text = ""
    if (parent === undefined) return name === "ElectionResult" ? undefined : `expected <ElectionResult>, got <${name}>`
    if (parent === "ElectionResult" && name === "Contest") {
      const key = attributes["key"]
      if (key === undefined || key === "") return "a <Contest> without a key"
      contest = {
        key,
        title: attributes["text"] ?? "",
        isQuestion: attributes["isQuestion"] === "true",
        reporting: reportingOf(attributes),
        choices: [],
        total: { votes: [], voteTypes: [] },
        units: Grid.make(unitNames, settings.voteTypes),
        counties: new Map(),
        voteTypes: new Set()
      }
      return undefined
    }
    if (contest === undefined) {
      if (name === "County" && parent === "Counties")
        turnoutCounties.set(attributes["name"] ?? "", reportingOf(attributes))
      if (name === "Precinct" && parent === "Precincts") {
        turnoutPrecincts.set(attributes["name"] ?? "", count(attributes["percentReporting"]) ?? 0)
      }
      return undefined
    }
    if (name === "Choice" && parent === "Contest") {
      const votes = votesOf(attributes, `choice ${attributes["key"] ?? ""} of contest ${contest.key}`)
      if (typeof votes === "string") return votes
      choice = contest.choices.length
      contest.choices.push({ text: attributes["text"] ?? "", party: attributes["party"] })
      contest.total.votes[choice] = votes
      return undefined
    }
    if (name === "County" && parent === "ParticipatingCounties") {
      contest.counties.set(attributes["name"] ?? "", reportingOf(attributes))
      return undefined
    }
    if (name === "VoteType" && parent === "Choice") {
      const votes = votesOf(attributes, `a vote type of contest ${contest.key}`)
      if (typeof votes === "string") return votes
      voteType = attributes["name"] ?? ""
      contest.voteTypes.add(voteType)
      if (settings.voteTypes) (contest.total.voteTypes[choice] ??= {})[voteType] = votes
      return undefined
    }
    if (grandparent === "Choice" && parent === "VoteType" && (name === "County" || name === "Precinct")) {
      if (unitElement === undefined) return undefined
      if (name !== unitElement) return wrongLevel(name)
      const unitName = attributes["name"]
      if (unitName === undefined || unitName === "") return `a <${name}> without a name in contest ${contest.key}`
      const votes = votesOf(attributes, `${unitName} in contest ${contest.key}`)
      if (typeof votes === "string") return votes
      contest.units.add(unitName, choice, voteType!, votes)
    }
    return undefined
  }

  const unitReporting = (done: Contest, name: string): Reporting => {
    if (unitElement === "County") return done.counties.get(name) ?? turnoutCounties.get(name) ?? noReporting
    const types = done.voteTypes.size
    const reported = turnoutPrecincts.get(name)
    if (reported === undefined || types === 0) return { precinctsReporting: 0, precinctsTotal: 1, percent: 0 }
    return {
      precinctsReporting: reported >= types ? 1 : 0,
      precinctsTotal: 1,
      percent: Math.min(100, Mapping.percentOf(reported, types))
    }
  }

  const emit = (done: Contest) => {
    const results = Mapping.contestResults(done)
    const n = done.choices.length
    const units = done.units
    const at = updatedAt
    const total = (): Source.Entity<"ContestResult"> => ({
      key: [done.key],
      data: results({
        state: settings.state,
        county: settings.county,
        reporting: done.reporting,
        updatedAt: at,
        votes: Array.from({ length: n }, (_, i) => done.total.votes[i] ?? 0),
        voteTypes: settings.voteTypes ? Array.from({ length: n }, (_, i) => done.total.voteTypes[i] ?? {}) : undefined
      })
    })
    const contest: Closed = {
      build: (unit) => {
        if (unit < 0) return total()
        const name = units.units[unit]!
        const where = unitElement === "County" ? { county: name } : { county: settings.county, precinct: name }
        return {
          key: [done.key, unitElement === "County" ? "county" : "precinct", name],
          data: results({
            state: settings.state,
            ...where,
            reporting: unitReporting(done, name),
            updatedAt: at,
            votes: units.votes(unit, n),
            voteTypes: settings.voteTypes ? units.voteTypes(unit, n) : undefined
          })
        }
      }
    }
    if (unitNames.size() > maxUnitNames) unitNames.clear()
    for (let unit = -1; unit < units.units.length; unit++) out.push({ contest, unit })
  }

  const close = (name: string): string | undefined => {
    path.pop()
    if (name === "Timestamp" && path.length === 1) {
      const parsed = Mapping.timestamp(text, settings.timeZone)
      if (Result.isFailure(parsed)) return `<Timestamp>: ${parsed.failure}`
      updatedAt = parsed.success
    }
    if (name === "Contest" && path.length === 1 && contest !== undefined) {
      emit(contest)
      contest = undefined
    }
    return undefined
  }

  const handler: Xml.Handler = {
    open,
    close,
    text: (piece) => {
      // Only the header's short texts are kept; a run of text anywhere is bounded by the reader.
      if (path.length === 2) text += piece
      return undefined
    }
  }
  return {
    handler,
    /** Where the next entities go. */
    into: (target: Array<Pending>) => {
      out = target
    }
  }
}
