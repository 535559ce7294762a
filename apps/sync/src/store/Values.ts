/**
 * The `VALUES` list of a multi-row insert, written once per shape. A batch's rows go in as plain
 * parameter lists with the statement text made here, rather than through `sql.insert`, which builds
 * each statement anew from every row's record: that was a tenth of a SQLite write's CPU.
 *
 * @since 0.2.0
 */
import type { Dialect } from "./Rows.ts"

const made = new Map<string, string>()

/**
 * `(?, ?), (?, ?)` (SQLite) or `($1, $2), ($3, $4)` (PostgreSQL) for `rows` rows of `columns` values.
 *
 * @since 0.2.0
 * @category encoding
 */
export const placeholders = (dialect: Dialect, rows: number, columns: number): string => {
  const id = `${dialect} ${rows} ${columns}`
  const known = made.get(id)
  if (known !== undefined) return known
  const tuples: Array<string> = []
  for (let row = 0; row < rows; row++) {
    const values: Array<string> = []
    for (let column = 0; column < columns; column++) {
      values.push(dialect === "postgres" ? `$${row * columns + column + 1}` : "?")
    }
    tuples.push(`(${values.join(", ")})`)
  }
  const text = tuples.join(", ")
  made.set(id, text)
  return text
}
