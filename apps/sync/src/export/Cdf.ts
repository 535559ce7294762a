/**
 * The objects of the NIST SP 1500-100 election results common data format (JSON, version 2) that an
 * export writes: the names, required members and enumerations of the published schema
 * (`NIST_V2_election_results_reporting.json`), for the parts of it the feed model can fill. Every object
 * carries its `@type`; objects others refer to carry an `@id`.
 *
 * @since 0.2.0
 */

/**
 * How votes were cast, as the format names the ways (`CountItemType`); `other` with `OtherType` for the
 * rest.
 *
 * @since 0.2.0
 * @category models
 */
export type CountItemType =
  | "absentee"
  | "absentee-fwab"
  | "absentee-in-person"
  | "absentee-mail"
  | "early"
  | "election-day"
  | "other"
  | "provisional"
  | "total"
  | "uocava"
  | "write-in"

/**
 * The kinds of reporting unit the export writes (of the format's `ReportingUnitType`).
 *
 * @since 0.2.0
 * @category models
 */
export type ReportingUnitType =
  | "state"
  | "county"
  | "precinct"
  | "congressional"
  | "state-senate"
  | "state-house"
  | "county-council"
  | "city-council"
  | "school"
  | "judicial"
  | "other"

/**
 * Text with its language (`InternationalizedText`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Text {
  readonly "@type": "ElectionResults.InternationalizedText"
  readonly Text: ReadonlyArray<{
    readonly "@type": "ElectionResults.LanguageString"
    readonly Content: string
    readonly Language: string
  }>
}

/**
 * English text.
 *
 * @since 0.2.0
 * @category constructors
 */
export const text = (content: string): Text => ({
  "@type": "ElectionResults.InternationalizedText",
  Text: [{ "@type": "ElectionResults.LanguageString", Content: content, Language: "en" }]
})

/**
 * A count of votes in one reporting unit, of one way of voting.
 *
 * @since 0.2.0
 * @category models
 */
export interface VoteCounts {
  readonly "@type": "ElectionResults.VoteCounts"
  readonly Count: number
  readonly GpUnitId: string
  readonly Type: CountItemType
  readonly OtherType?: string
}

/**
 * An identifier of an object in another system: here the source's own contest id.
 *
 * @since 0.2.0
 * @category models
 */
export interface ExternalIdentifier {
  readonly "@type": "ElectionResults.ExternalIdentifier"
  readonly Type: "other"
  readonly OtherType: string
  readonly Value: string
}

/**
 * A state, county, precinct or district.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReportingUnit {
  readonly "@type": "ElectionResults.ReportingUnit"
  readonly "@id": string
  readonly Name: string
  readonly Type: ReportingUnitType
  readonly OtherType?: string
  readonly ComposingGpUnitIds?: ReadonlyArray<string>
}

/**
 * A party.
 *
 * @since 0.2.0
 * @category models
 */
export interface Party {
  readonly "@type": "ElectionResults.Party"
  readonly "@id": string
  readonly Name: Text
  readonly Abbreviation?: string
}

/**
 * A candidate, as on the ballot.
 *
 * @since 0.2.0
 * @category models
 */
export interface Candidate {
  readonly "@type": "ElectionResults.Candidate"
  readonly "@id": string
  readonly BallotName: Text
  readonly PartyId?: string
  readonly IsIncumbent?: boolean
}

/**
 * A choice of a contest with its votes: a candidate, or a measure's or retention's `Yes` / `No`.
 *
 * @since 0.2.0
 * @category models
 */
export type BallotSelection =
  | {
      readonly "@type": "ElectionResults.CandidateSelection"
      readonly "@id": string
      readonly CandidateIds: ReadonlyArray<string>
      readonly SequenceOrder: number
      readonly VoteCounts: ReadonlyArray<VoteCounts>
    }
  | {
      readonly "@type": "ElectionResults.BallotMeasureSelection"
      readonly "@id": string
      readonly Selection: Text
      readonly SequenceOrder: number
      readonly VoteCounts: ReadonlyArray<VoteCounts>
    }

/**
 * A contest: an office (`CandidateContest`), a measure (`BallotMeasureContest`) or a judge's retention
 * (`RetentionContest`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Contest {
  readonly "@type":
    | "ElectionResults.CandidateContest"
    | "ElectionResults.BallotMeasureContest"
    | "ElectionResults.RetentionContest"
  readonly "@id": string
  readonly Name: string
  readonly ElectoralDistrictId: string
  readonly SequenceOrder: number
  readonly BallotSelection: ReadonlyArray<BallotSelection>
  readonly SubUnitsReported?: number
  readonly TotalSubUnits?: number
  readonly ExternalIdentifier?: ReadonlyArray<ExternalIdentifier>
  /** Of a `CandidateContest`: how many a voter may choose. */
  readonly VotesAllowed?: number
  /** Of a `CandidateContest` of a partisan primary. */
  readonly PrimaryPartyIds?: ReadonlyArray<string>
}

/**
 * An election: its contests and candidates, in the state it covers.
 *
 * @since 0.2.0
 * @category models
 */
export interface Election {
  readonly "@type": "ElectionResults.Election"
  readonly Name: Text
  readonly ElectionScopeId: string
  readonly StartDate: string
  readonly EndDate: string
  readonly Type: "general" | "primary"
  readonly Candidate: ReadonlyArray<Candidate>
  readonly Contest: ReadonlyArray<Contest>
}

/**
 * The whole report.
 *
 * @since 0.2.0
 * @category models
 */
export interface ElectionReport {
  readonly "@type": "ElectionResults.ElectionReport"
  readonly Format: "precinct-level" | "summary-contest"
  readonly GeneratedDate: string
  readonly Issuer: string
  readonly IssuerAbbreviation: string
  readonly Notes: string
  readonly SequenceStart: number
  readonly SequenceEnd: number
  readonly Status: "unofficial-complete" | "unofficial-partial"
  readonly VendorApplicationId: string
  readonly Election: ReadonlyArray<Election>
  readonly GpUnit: ReadonlyArray<ReportingUnit>
  readonly Party: ReadonlyArray<Party>
}
