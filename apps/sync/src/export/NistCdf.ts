/**
 * Stored contest results as a NIST SP 1500-100 election results common data format report (JSON,
 * version 2): an `Election` per state, its contests with their selections' `VoteCounts` in every
 * reporting unit stored (the site's total, each county or precinct) and by way of voting where the
 * source reports it, the state's counties and precincts and the contests' districts as `GpUnit`s, and
 * the parties of core's party table.
 *
 * A contest is the `ContestResult`s of one source with the same state, kind, title, office, district,
 * party and measure number: the contest's own result and its reporting units' (Clarity's
 * `<key>/county/<name>`). Where a source stores a contest in several streams (Clarity's `results` and its
 * lighter `summary`), the stream with the most reporting units is used, so no vote is counted twice.
 *
 * @since 0.2.0
 */
import { type Feed, Party as PartyTable } from "@electfeed/core"
import type * as Cdf from "./Cdf.ts"
import { text } from "./Cdf.ts"
import * as CountTypes from "./CountTypes.ts"
import * as Ids from "./Ids.ts"

/**
 * A stored `ContestResult`.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredContest {
  readonly source: string
  readonly stream: string
  readonly key: string
  /** ISO-8601 UTC. */
  readonly observedAt: string
  readonly data: Feed.ContestResult
}

/**
 * What the report says of itself, and of the elections where the stored data does not tell.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReportOptions {
  /** ISO-8601 date-time. */
  readonly generatedDate: string
  /** The application that wrote the report, e.g. `@electfeed/sync@0.2.0`. */
  readonly vendorApplicationId: string
  /** Each election's name. Default `<state> election of <date>`. */
  readonly electionName?: string | undefined
  /** Each election's date (YYYY-MM-DD). Default: the earliest local date of its results' timestamps. */
  readonly electionDate?: string | undefined
}

/** The parts of `ContestResult` that tell one contest from another within a source. */
const identityOf = ({ data, source }: StoredContest): string =>
  JSON.stringify([
    source,
    data.jurisdiction.state,
    data.contestKind,
    data.title,
    data.office,
    data.jurisdiction.district,
    data.party,
    data.measure?.number ?? null
  ])

/** 0 for a result of the whole contest, 1 for a county's, 2 for a precinct's. */
const depthOf = (j: Feed.ContestResult["jurisdiction"]) => (j.precinct !== undefined ? 2 : j.county !== null ? 1 : 0)

const unitOf = (j: Feed.ContestResult["jurisdiction"]) => JSON.stringify([j.county, j.precinct ?? null])

/** The results of one contest, one per reporting unit, from one stream. */
const contestsOf = (stored: ReadonlyArray<StoredContest>): ReadonlyArray<ReadonlyArray<StoredContest>> => {
  const groups = new Map<string, Array<StoredContest>>()
  for (const result of stored) {
    const identity = identityOf(result)
    const group = groups.get(identity)
    if (group === undefined) groups.set(identity, [result])
    else group.push(result)
  }
  return [...groups.values()].map((group) => {
    const byStream = new Map<string, Array<StoredContest>>()
    for (const result of group) {
      const mine = byStream.get(result.stream)
      if (mine === undefined) byStream.set(result.stream, [result])
      else mine.push(result)
    }
    const [, chosen] = [...byStream].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))[0]!
    // One result per unit: the one observed last.
    const byUnit = new Map<string, StoredContest>()
    for (const result of chosen) {
      const unit = unitOf(result.data.jurisdiction)
      const seen = byUnit.get(unit)
      if (seen === undefined || seen.observedAt < result.observedAt) byUnit.set(unit, result)
    }
    return [...byUnit.values()].sort((a, b) => depthOf(a.data.jurisdiction) - depthOf(b.data.jurisdiction))
  })
}

const districtTypes: ReadonlyArray<readonly [RegExp, Cdf.ReportingUnitType]> = [
  [/\b(u\.?\s?s\.?|united states|congress(ional)?)\b.*\b(house|representatives?)\b|\bcongress/i, "congressional"],
  [/\bstate senate\b|\bsenate district\b/i, "state-senate"],
  [/\b(state house|assembly|house of delegates|state representatives?)\b/i, "state-house"],
  [/\bcounty (commission|council)|\bsupervisors?\b/i, "county-council"],
  [/\b(city|town) council\b/i, "city-council"],
  [/\bschool\b/i, "school"],
  [/\b(court|judge|judicial|justice)\b/i, "judicial"]
]

/** Builds one report; its `@id`s come from one registry. */
const builder = () => {
  const ids = Ids.registry()
  const units = new Map<string, Cdf.ReportingUnit & { ComposingGpUnitIds: Array<string> }>()
  const parties = new Map<string, Cdf.Party>()

  const unit = (id: string, Name: string, type: Cdf.ReportingUnitType, parent?: string) => {
    if (!units.has(id)) {
      units.set(id, {
        "@type": "ElectionResults.ReportingUnit",
        "@id": id,
        Name,
        Type: type,
        ...(type === "other" ? { OtherType: "district" } : {}),
        ComposingGpUnitIds: []
      })
      if (parent !== undefined) units.get(parent)!.ComposingGpUnitIds.push(id)
    }
    return id
  }
  const stateUnit = (state: string) => unit(ids.id("ru", [state], state), state, "state")
  const countyUnit = (state: string, county: string) =>
    unit(ids.id("ru", [state, county], JSON.stringify([state, county])), county, "county", stateUnit(state))
  /** The unit a result is of: the state, a county, or a precinct (in its county when there is one). */
  const unitOfResult = ({ county, precinct, state }: Feed.ContestResult["jurisdiction"]) => {
    if (precinct === undefined) return county === null ? stateUnit(state) : countyUnit(state, county)
    const parent = county === null ? stateUnit(state) : countyUnit(state, county)
    const id = ids.id("ru", [state, county ?? "", "p", precinct], JSON.stringify([state, county, precinct]))
    return unit(id, precinct, "precinct", parent)
  }
  const districtUnit = (data: Feed.ContestResult, district: string) => {
    const office = data.office ?? data.title
    const type = districtTypes.find(([pattern]) => pattern.test(office))?.[1] ?? "other"
    // Legislative districts are the state's; any other is told apart by its office.
    const statewide = type === "congressional" || type === "state-senate" || type === "state-house"
    const readable = [data.jurisdiction.state, statewide ? type : office, district]
    return unit(ids.id("ru", readable, JSON.stringify(readable)), `${office} District ${district}`, type)
  }

  const party = (word: string | null, code: string | null): string | undefined => {
    // No party, a nonpartisan office and "no party preference" are no party to refer to.
    if (word === null && code === null) return undefined
    if (code === "NON" || code === "NPP") return undefined
    const known = code === null ? undefined : PartyTable.table.find((p) => p.code === code)
    const id =
      known === undefined ? ids.id("party", [word!], `word:${word}`) : ids.id("party", [known.code], known.code)
    if (!parties.has(id)) {
      parties.set(id, {
        "@type": "ElectionResults.Party",
        "@id": id,
        Name: text(known?.name ?? word!),
        ...(known === undefined ? {} : { Abbreviation: known.code })
      })
    }
    return id
  }

  const contest = (
    results: ReadonlyArray<StoredContest>,
    sequence: number,
    countTypes: ReadonlyMap<string, CountTypes.CountType>
  ) => {
    const first = results[0]!
    const { data, source } = first
    const top = results.length === 1 || depthOf(results[1]!.data.jurisdiction) > depthOf(data.jurisdiction)
    const district = data.jurisdiction.district
    const electoralDistrict =
      district !== null
        ? districtUnit(data, district)
        : top
          ? unitOfResult(data.jurisdiction)
          : stateUnit(data.jurisdiction.state)
    const id = ids.id("c", [source, data.title], identityOf(first))
    // The selections of every unit, matched by name and party: a unit may list one the others do not.
    const choices: Array<Feed.Selection> = []
    const choiceOf = (s: Feed.Selection) => JSON.stringify([s.name, s.party])
    for (const result of results) {
      for (const s of result.data.selections) {
        if (!choices.some((c) => choiceOf(c) === choiceOf(s))) choices.push(s)
      }
    }
    const counts = (choice: Feed.Selection): ReadonlyArray<Cdf.VoteCounts> =>
      results.flatMap((result) => {
        const s = result.data.selections.find((c) => choiceOf(c) === choiceOf(choice))
        if (s === undefined) return []
        // A statewide read of a district's contest covers the district.
        const depth = depthOf(result.data.jurisdiction)
        const at = depth === 0 && district !== null ? electoralDistrict : unitOfResult(result.data.jurisdiction)
        const count = (Count: number, type: CountTypes.CountType): Cdf.VoteCounts => ({
          "@type": "ElectionResults.VoteCounts",
          Count,
          GpUnitId: at,
          ...type
        })
        return [
          count(s.votes, { Type: "total" }),
          ...Object.entries(s.voteTypes ?? {}).map(([name, votes]) => count(votes, countTypes.get(name)!))
        ]
      })
    const candidates: Array<Cdf.Candidate> = []
    const selections = choices.map((choice, i): Cdf.BallotSelection => {
      const common = { "@id": `${id}-s${i + 1}`, SequenceOrder: i + 1, VoteCounts: counts(choice) }
      if (data.contestKind !== "candidate") {
        return { "@type": "ElectionResults.BallotMeasureSelection", ...common, Selection: text(choice.name) }
      }
      const partyId = party(choice.party, choice.partyCode)
      const candidate: Cdf.Candidate = {
        "@type": "ElectionResults.Candidate",
        "@id": `${id}-k${i + 1}`,
        BallotName: text(choice.name),
        ...(partyId === undefined ? {} : { PartyId: partyId }),
        ...(choice.incumbent === null ? {} : { IsIncumbent: choice.incumbent })
      }
      candidates.push(candidate)
      return { "@type": "ElectionResults.CandidateSelection", ...common, CandidateIds: [candidate["@id"]] }
    })
    const primaryParty = data.party === null ? undefined : party(data.party, PartyTable.code(data.party))
    const result: Cdf.Contest = {
      "@type":
        data.contestKind === "candidate"
          ? "ElectionResults.CandidateContest"
          : data.contestKind === "measure"
            ? "ElectionResults.BallotMeasureContest"
            : "ElectionResults.RetentionContest",
      "@id": id,
      Name: data.title,
      ElectoralDistrictId: electoralDistrict,
      SequenceOrder: sequence,
      ...(top
        ? { SubUnitsReported: data.reporting.precinctsReporting, TotalSubUnits: data.reporting.precinctsTotal }
        : {}),
      ...(data.contestId === null
        ? {}
        : {
            ExternalIdentifier: [
              {
                "@type": "ElectionResults.ExternalIdentifier",
                Type: "other",
                OtherType: `${source} contest id`,
                Value: data.contestId
              }
            ]
          }),
      // The feed does not say how many a voter may choose: one, as in almost every contest.
      ...(data.contestKind === "candidate" ? { VotesAllowed: 1 } : {}),
      ...(primaryParty === undefined ? {} : { PrimaryPartyIds: [primaryParty] }),
      BallotSelection: selections
    }
    return { contest: result, candidates, complete: top && isComplete(data.reporting) }
  }

  return { contest, stateUnit, units, parties }
}

const isComplete = (r: Feed.ContestResult["reporting"]) =>
  r.precinctsTotal > 0 && r.precinctsReporting >= r.precinctsTotal

/** The local date of a result's timestamp (its offset is the place's), else of when it was observed. */
const dateOf = ({ data, observedAt }: StoredContest) => (data.updatedAt ?? observedAt).slice(0, 10)

/**
 * The report of `stored` (in the order given: contests keep the order of their first result).
 *
 * @since 0.2.0
 * @category mapping
 */
export const report = (stored: ReadonlyArray<StoredContest>, options: ReportOptions): Cdf.ElectionReport => {
  const build = builder()
  const countTypes = CountTypes.of(
    stored.flatMap((r) => r.data.selections.flatMap((s) => Object.keys(s.voteTypes ?? {})))
  )
  const contests = contestsOf(stored)
  const states = [...new Set(contests.map(([first]) => first!.data.jurisdiction.state))]
  let complete = true
  const elections = states.map((state): Cdf.Election => {
    const mine = contests.filter(([first]) => first!.data.jurisdiction.state === state)
    const built = mine.map((results, i) => build.contest(results, i + 1, countTypes))
    complete &&= built.every((b) => b.complete)
    const date = options.electionDate ?? mine.flat().map(dateOf).sort()[0]!
    return {
      "@type": "ElectionResults.Election",
      Name: text(options.electionName ?? `${state} election of ${date}`),
      ElectionScopeId: build.stateUnit(state),
      StartDate: date,
      EndDate: date,
      Type: mine.some(([first]) => first!.data.party !== null) ? "primary" : "general",
      Candidate: built.flatMap((b) => b.candidates),
      Contest: built.map((b) => b.contest)
    }
  })
  const sources = [...new Set(stored.map((r) => r.source))]
  const gpUnits = [...build.units.values()].map(({ ComposingGpUnitIds, ...rest }) =>
    ComposingGpUnitIds.length === 0 ? rest : { ...rest, ComposingGpUnitIds }
  )
  return {
    "@type": "ElectionResults.ElectionReport",
    Format: gpUnits.some((u) => u.Type === "precinct") ? "precinct-level" : "summary-contest",
    GeneratedDate: options.generatedDate,
    Issuer: "electfeed",
    IssuerAbbreviation: "electfeed",
    Notes: [
      `The unofficial results stored by electfeed from ${sources.join(", ")}.`,
      options.electionDate === undefined
        ? "Each election's date is the earliest date of its results' timestamps, not a published election date."
        : ""
    ]
      .filter((note) => note !== "")
      .join(" "),
    SequenceStart: 1,
    SequenceEnd: 1,
    Status: complete ? "unofficial-complete" : "unofficial-partial",
    VendorApplicationId: options.vendorApplicationId,
    Election: elections,
    GpUnit: gpUnits,
    Party: [...build.parties.values()]
  }
}
