/**
 * An election at one moment of the night as a Clarity site writes it: `detail.xml` (by county for a state
 * site, by precinct for a county site or a statewide precinct file) and `summary.csv`, produced piece by
 * piece so that files of hundreds of MB need not be held.
 *
 * @since 0.1.0
 */
import * as Election from "./Election.ts"

/**
 * Which file: a state site's (`County` units), a county site's (`Precinct` units of `county`), or a
 * statewide precinct-level one (`Precinct` units of every county).
 *
 * @since 0.1.0
 * @category models
 */
export interface Scope {
  readonly units: "County" | "Precinct"
  readonly county?: string | undefined
}

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

interface Precinct {
  readonly name: string
  readonly voters: number
  readonly county: string
  readonly reported: boolean
}

const precincts = (election: Election.Election, version: Election.Version, scope: Scope): ReadonlyArray<Precinct> =>
  election.counties
    .filter((county) => scope.county === undefined || county.name === scope.county)
    .flatMap((county) =>
      county.precincts.map((p, i) => ({
        ...p,
        county: county.name,
        reported: Election.hasReported(i, county.precincts.length, version.counted)
      }))
    )

const sum = (numbers: ReadonlyArray<number>) => numbers.reduce((a, b) => a + b, 0)

/** Votes of each choice, by vote type, by precinct of the contest. */
const tally = (election: Election.Election, contest: Election.Contest, voting: ReadonlyArray<Precinct>) =>
  contest.choices.map((choice) => voting.map((p) => Election.votes(contest, choice, p, p.reported, election.voteTypes)))

const pct = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole).toFixed(2)

/**
 * `detail.xml` at `version`, in pieces.
 *
 * @since 0.1.0
 * @category rendering
 */
export function* detailXml(election: Election.Election, version: Election.Version, scope: Scope): Generator<string> {
  const all = precincts(election, version, scope)
  const byCounty = scope.units === "County"
  const units = byCounty ? [...new Set(all.map((p) => p.county))] : all.map((p) => p.name)
  const unitOf = (p: Precinct) => (byCounty ? p.county : p.name)
  yield '<?xml version="1.0"?>\n<!--Election result snapshot imported from Tabulation System\n-->\n<ElectionResult>\n'
  yield `    <Timestamp>${version.timestamp}</Timestamp>\n    <ElectionName>${escapeXml(election.name)}</ElectionName>\n`
  yield `    <ElectionDate>${election.date}</ElectionDate>\n    <Region>${escapeXml(scope.county ?? election.state)}</Region>\n`
  const ballots = (ps: ReadonlyArray<Precinct>) => sum(ps.map((p) => (p.reported ? Math.floor(p.voters * 0.64) : 0)))
  const voters = (ps: ReadonlyArray<Precinct>) => sum(ps.map((p) => p.voters))
  if (byCounty) {
    yield `    <ElectionVoterTurnout totalVoters="${voters(all)}" ballotsCast="${ballots(all)}" voterTurnout="${pct(ballots(all), voters(all))}">\n        <Counties>\n`
    for (const county of units) {
      const ps = all.filter((p) => p.county === county)
      const reported = ps.filter((p) => p.reported).length
      yield `            <County name="${escapeXml(county)}" totalVoters="${voters(ps)}" ballotsCast="${ballots(ps)}" voterTurnout="${pct(ballots(ps), voters(ps))}" precinctsParticipating="${ps.length}" precinctsReported="${reported}" precinctsReportingPercent="${pct(reported, ps.length)}" />\n`
    }
    yield "        </Counties>\n    </ElectionVoterTurnout>\n"
  } else {
    yield `    <VoterTurnout totalVoters="${voters(all)}" ballotsCast="${ballots(all)}" voterTurnout="${pct(ballots(all), voters(all))}">\n        <Precincts>\n`
    for (const p of all) {
      yield `            <Precinct name="${escapeXml(p.name)}" totalVoters="${p.voters}" ballotsCast="${ballots([p])}" voterTurnout="${pct(ballots([p]), p.voters)}" percentReporting="${p.reported ? election.voteTypes.length : 0}" />\n`
    }
    yield "        </Precincts>\n    </VoterTurnout>\n"
  }
  for (const contest of election.contests) {
    const voting = all.filter((p) => contest.precincts === undefined || contest.precincts.includes(p.name))
    if (voting.length === 0) continue
    // Each unit of the contest with the indices of its precincts in `voting`, in order.
    const groups = new Map<string, Array<number>>()
    voting.forEach((p, i) => {
      const unit = unitOf(p)
      const group = groups.get(unit)
      if (group === undefined) groups.set(unit, [i])
      else group.push(i)
    })
    const contestUnits = [...groups]
    const reported = voting.filter((p) => p.reported).length
    const votes = tally(election, contest, voting)
    const reporting = byCounty
      ? `countiesParticipating="${contestUnits.length}" countiesReported="${contestUnits.filter(([, is]) => is.every((i) => voting[i]!.reported)).length}" precinctsParticipating="${voting.length}" precinctsReported="${reported}" precinctsReportingPercent="${pct(reported, voting.length)}"`
      : `precinctsReporting="${voting.length}" precinctsReported="${reported}"`
    yield `    <Contest key="${contest.key}" text="${escapeXml(contest.text)}" voteFor="1" isQuestion="${contest.isQuestion}" ${reporting}>\n`
    if (byCounty) {
      yield "        <ParticipatingCounties>\n"
      for (const [county, is] of contestUnits) {
        const done = is.filter((i) => voting[i]!.reported).length
        yield `            <County name="${escapeXml(county)}" precinctsParticipating="${is.length}" precinctsReported="${done}" precinctsReportingPercent="${pct(done, is.length)}" />\n`
      }
      yield "        </ParticipatingCounties>\n"
    }
    const element = byCounty ? "County" : "Precinct"
    const lines = (type: string, per: ReadonlyArray<number>, indent: string) => {
      let text = `${indent}<VoteType name="${escapeXml(type)}" votes="${sum(per)}">\n`
      contestUnits.forEach(([unit], u) => {
        text += `${indent}    <${element} name="${escapeXml(unit)}" votes="${per[u]}" />\n`
      })
      return `${text}${indent}</VoteType>\n`
    }
    for (const [name, share] of [
      ["Undervotes", 2],
      ["Overvotes", 0]
    ] as const) {
      const per = contestUnits.map(([, is]) =>
        sum(is.map((i) => (voting[i]!.reported ? Math.floor(voting[i]!.voters / 1000) * share : 0)))
      )
      yield lines(name, per, "        ")
    }
    for (const [c, choice] of contest.choices.entries()) {
      const total = sum(votes[c]!.map(sum))
      yield `        <Choice key="${choice.key}" text="${escapeXml(choice.text)}" party="${escapeXml(choice.party)}" totalVotes="${total}">\n`
      for (const [t, type] of election.voteTypes.entries()) {
        yield lines(
          type,
          contestUnits.map(([, is]) => sum(is.map((i) => votes[c]![i]![t]!))),
          "            "
        )
      }
      yield "        </Choice>\n"
    }
    yield "    </Contest>\n"
  }
  yield "</ElectionResult>"
}

const csvField = (value: string | number) => {
  const text = String(value)
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * `summary.csv` at `version`: one row per choice of each contest, with the site's totals.
 *
 * @since 0.1.0
 * @category rendering
 */
export function* summaryCsv(election: Election.Election, version: Election.Version, scope: Scope): Generator<string> {
  const all = precincts(election, version, scope)
  yield "line number,contest name,choice name,party name,total votes,percent of votes,registered voters,ballots cast,num Precinct total,num Precinct rptg,over votes,under votes\r\n"
  let line = 1
  for (const contest of election.contests) {
    const voting = all.filter((p) => contest.precincts === undefined || contest.precincts.includes(p.name))
    if (voting.length === 0) continue
    const totals = tally(election, contest, voting).map((perPrecinct) => sum(perPrecinct.map(sum)))
    const reported = voting.filter((p) => p.reported).length
    for (const [c, choice] of contest.choices.entries()) {
      const row = [
        line++,
        contest.text,
        choice.text,
        choice.party,
        totals[c]!,
        pct(totals[c]!, sum(totals)),
        sum(voting.map((p) => p.voters)),
        0,
        voting.length,
        reported,
        0,
        0
      ]
      yield `${row.map(csvField).join(",")}\r\n`
    }
  }
}
