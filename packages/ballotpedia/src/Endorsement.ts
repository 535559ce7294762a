/**
 * Endorsement datasets as the feed's `Endorsement`.
 *
 * Ballotpedia publishes no schema of its endorsement files, so the columns are found by name: the first
 * column present of each list below. Every other column is kept in `details`.
 *
 * | field | columns, first present wins |
 * |---|---|
 * | `endorser` | `endorser`, `endorser_name` (required) |
 * | `endorsee` | `endorsee`, `endorsee_name`, `candidate_name` (required) |
 * | `date` | `endorsement_date`, `date` (optional) |
 *
 * The key is `endorsement/<endorser>/<endorsee>`, then `/<date>` when there is one, where the endorser is
 * its `endorser_id` and the endorsee its `endorsee_id` or `candidate_id` when the file has them (ids
 * outlive renames), else their names.
 *
 * @since 0.1.0
 */
import { Decoding, type SourceError } from "@electfeed/core"
import { Effect, Schema } from "effect"
import * as Cells from "./Cells.ts"
import type { Entity, Mapping, RowContext } from "./Mapping.ts"

const Columns = Schema.Record(Schema.String, Cells.Text)

type Values = Readonly<Record<string, string | null>>

/**
 * The columns each field is read from, first present wins.
 *
 * @since 0.1.0
 * @category columns
 */
export const fieldColumns = {
  endorser: ["endorser", "endorser_name"],
  endorsee: ["endorsee", "endorsee_name", "candidate_name"],
  date: ["endorsement_date", "date"]
} as const

const idColumns = {
  endorser: ["endorser_id"],
  endorsee: ["endorsee_id", "candidate_id"]
} as const

// The columns a key may be made of, checked as key text (apart, so that the details keep the file's order).
const Keys = Schema.Struct(
  Object.fromEntries(
    [...Object.values(fieldColumns), ...Object.values(idColumns)]
      .flat()
      .map((name) => [name, Schema.optionalKey(Cells.KeyText)])
  )
)

const columnOf = (cells: Values, names: ReadonlyArray<string>): string | undefined =>
  names.find((name) => Object.hasOwn(cells, name))

const required = (
  cells: Values,
  field: "endorser" | "endorsee",
  row: Decoding.Row,
  context: RowContext
): Effect.Effect<{ readonly column: string; readonly value: string }, SourceError.DecodeError> => {
  const names = fieldColumns[field]
  const column = columnOf(cells, names)
  const value = column === undefined ? null : cells[column]!
  if (column !== undefined && value !== null) return Effect.succeed({ column, value })
  const detail =
    column === undefined
      ? `no ${field} column: expected one of ${names.join(", ")}`
      : `expected the ${field}, found an empty cell`
  return Effect.fail(context.client.decodeError({ url: context.url, row: row.index, column, detail, input: "" }))
}

// The id of the endorser or endorsee when the file has one, else its name.
const identity = (cells: Values, field: "endorser" | "endorsee", name: string): string => {
  const column = columnOf(cells, idColumns[field])
  return (column === undefined ? null : cells[column]) ?? name
}

const entity = (
  cells: Values,
  endorser: { readonly column: string; readonly value: string },
  endorsee: { readonly column: string; readonly value: string }
): Entity<"Endorsement"> => {
  const dateColumn = columnOf(cells, fieldColumns.date)
  const date = dateColumn === undefined ? null : cells[dateColumn]!
  const used = new Set([endorser.column, endorsee.column, dateColumn])
  const details = Object.fromEntries(Object.entries(cells).filter(([column]) => !used.has(column)))
  return {
    key: [
      identity(cells, "endorser", endorser.value),
      identity(cells, "endorsee", endorsee.value),
      ...(date === null ? [] : [date])
    ],
    data: { endorser: endorser.value, endorsee: endorsee.value, date, details }
  }
}

/**
 * Endorsement rows as `Endorsement` entities.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mapping: Mapping<"Endorsement"> = {
  kind: "Endorsement",
  key: "endorsement/<endorser_id or endorser>/<endorsee_id, candidate_id or endorsee>[/<date>]",
  keyPrefix: () => "endorsement",
  // Eager: rows whose decoding is done (an `Exit`) are mapped without the effect runtime.
  decode: (row, context) =>
    Effect.flatMapEager(Decoding.decodeRow(Columns, row, context), (cells) =>
      Effect.flatMapEager(Decoding.decodeRow(Keys, row, context), () =>
        Effect.flatMapEager(required(cells, "endorser", row, context), (endorser) =>
          Effect.mapEager(required(cells, "endorsee", row, context), (endorsee) => entity(cells, endorser, endorsee))
        )
      )
    )
}
