/**
 * The bodies the API sends, as schemas that decode them into numbers, booleans and instants.
 *
 * Every results endpoint answers with contests of one shape: a title, `Reporting`, `ReportingTime`, and
 * one list. The list's key tells the family: `candidates` (offices), `ballot-measures` (numbered yes/no
 * measures), `supreme-court` or `courts-of-appeal` (yes/no retention of each justice). A body is one
 * contest (`/returns/governor`) or an array of them (`/district/all`, a county breakdown, the batch
 * query). `/returns/status` is a record of counties.
 *
 * CSV (`?f=csv`) has one row per selection, the contest's fields repeated on each, and a header row.
 * The SOS documents no CSV layout; these are the columns of this package's simulator.
 *
 * @since 0.1.0
 */
import { Decoding, Feed } from "@electfeed/core"
import { Schema, SchemaGetter } from "effect"
import * as Quirks from "./Quirks.ts"

const contestFields = { raceTitle: Schema.String, Reporting: Quirks.Reporting, ReportingTime: Quirks.ReportingTime }

// `Party` is a party code: `Dem`, `Rep`, `NPP`, `Grn`, `Lib`, `P&F`, `AI`, or `Non` for a nonpartisan office
// (core's `Party.code` reads each).
const candidateFields = { Name: Schema.String, Party: Schema.String, Votes: Quirks.VoteCount, Percent: Quirks.Percent }

const yesNoFields = {
  Name: Schema.String,
  yesVotes: Quirks.VoteCount,
  yesPercent: Quirks.Percent,
  noVotes: Quirks.VoteCount,
  noPercent: Quirks.Percent
}

/**
 * A candidate of an office.
 *
 * @since 0.1.0
 * @category json
 */
export const Candidate = Schema.Struct({ ...candidateFields, incumbent: Schema.Boolean })

/**
 * A ballot measure; `Number` is zero-padded (`"01"`).
 *
 * @since 0.1.0
 * @category json
 */
export const Measure = Schema.Struct({ ...yesNoFields, Number: Schema.String })

/**
 * A justice up for retention.
 *
 * @since 0.1.0
 * @category json
 */
export const Justice = Schema.Struct(yesNoFields)

/**
 * The key of each family's list.
 *
 * @since 0.1.0
 * @category json
 */
export const listKeys = ["candidates", "ballot-measures", "supreme-court", "courts-of-appeal"] as const

/**
 * @since 0.1.0
 * @category json
 */
export type ListKey = (typeof listKeys)[number]

/**
 * One contest: its header and exactly one of the four lists.
 *
 * @since 0.1.0
 * @category json
 */
export const Contest = Schema.Struct({
  ...contestFields,
  candidates: Schema.optionalKey(Schema.Array(Candidate)),
  "ballot-measures": Schema.optionalKey(Schema.Array(Measure)),
  "supreme-court": Schema.optionalKey(Schema.Array(Justice)),
  "courts-of-appeal": Schema.optionalKey(Schema.Array(Justice))
}).check(
  Schema.makeFilter(
    (contest) =>
      listKeys.filter((key) => contest[key] !== undefined).length === 1 ||
      `expected exactly one of the lists ${listKeys.join(", ")}`
  )
)

/**
 * @since 0.1.0
 * @category json
 */
export type Contest = typeof Contest.Type

/**
 * A results body: one contest, or an array of them.
 *
 * @since 0.1.0
 * @category json
 */
export const Body = Schema.Union([Contest, Schema.Array(Contest)])

// An undocumented status field: a scalar as core's cell text, an array or object as its JSON text, as long
// as it nests no deeper than core's limit (a value that does is a decode error at its path).
const StatusCell = Schema.Union([
  Feed.CellText,
  Schema.Unknown.check(Decoding.isWithinDepth()).pipe(
    Schema.decodeTo(Schema.String, { decode: SchemaGetter.stringifyJson(), encode: SchemaGetter.parseJson() })
  )
])

/**
 * `/returns/status`: each county's reporting status by county slug, its fields (which the SOS has not
 * documented) as the text of a dataset row's cells.
 *
 * @since 0.1.0
 * @category json
 */
export const Status = Schema.Record(Schema.String, Schema.Record(Schema.String, StatusCell))

// Retention rows have one layout, for either court.
const JusticeRow = Schema.Struct({ ...contestFields, ...yesNoFields })

/**
 * The CSV row schema of each family.
 *
 * @since 0.1.0
 * @category csv
 */
export const rowSchemas = {
  candidates: Schema.Struct({ ...contestFields, ...candidateFields, incumbent: Quirks.BooleanText }),
  "ballot-measures": Schema.Struct({ ...contestFields, Number: Schema.String, ...yesNoFields }),
  "supreme-court": JusticeRow,
  "courts-of-appeal": JusticeRow
} as const satisfies Record<ListKey, Schema.Top>

/**
 * Decoded CSV rows back into contests: consecutive rows with the same title are one contest, its
 * selections in row order. The result equals what the same data decodes to from JSON.
 *
 * @since 0.1.0
 * @category csv
 */
export const groupRows = (
  key: ListKey,
  rows: ReadonlyArray<(typeof rowSchemas)[ListKey]["Type"]>
): ReadonlyArray<Contest> => {
  const contests: Array<{ readonly raceTitle: string } & Record<string, unknown>> = []
  for (const { raceTitle, Reporting, ReportingTime, ...item } of rows) {
    const last = contests.at(-1)
    if (last?.raceTitle === raceTitle) (last[key] as Array<unknown>).push(item)
    else contests.push({ raceTitle, Reporting, ReportingTime, [key]: [item] })
  }
  return contests as unknown as ReadonlyArray<Contest>
}

/**
 * The column of a `/returns/status` CSV row that holds the county slug; the others are the county's
 * fields as in JSON.
 *
 * @since 0.1.0
 * @category csv
 */
export const statusSlugColumn = "slug"

/**
 * A CSV row of `/returns/status`: the county slug and the county's fields as cells.
 *
 * @since 0.1.0
 * @category csv
 */
export const StatusRow = Schema.Record(Schema.String, Feed.CellText).check(
  Schema.makeFilter((row) => typeof row[statusSlugColumn] === "string" || `expected a ${statusSlugColumn} column`)
)
