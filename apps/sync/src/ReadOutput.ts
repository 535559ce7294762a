/**
 * What `electfeed read --output` prints: NDJSON events as they arrive, or, once the read ends, its
 * contests summed up as `electfeed results` shows them (CSV or a table) and its other events as rows
 * of their fields.
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { Schema } from "effect"
import * as Results from "./Results.ts"

/**
 * `ndjson` streams; `csv` and `table` keep the last event of each key until the read ends.
 *
 * @since 0.2.0
 * @category models
 */
export const Output = Schema.Literals(["ndjson", "csv", "table"])

/**
 * @since 0.2.0
 * @category models
 */
export type Output = typeof Output.Type

/** A field as one cell: text and numbers as they are, anything nested as JSON. */
const cellOf = (value: unknown): string | number | null =>
  value === undefined || value === null
    ? null
    : typeof value === "string" || typeof value === "number"
      ? value
      : (Feed.stableJson(value) ?? null)

/** Rows of events that are not contests: kind and key, then every top-level field of their data. */
const fieldRows = (events: ReadonlyArray<Feed.FeedEvent>) => {
  const columns = [...new Set(events.flatMap((event) => Object.keys(event.data)))]
  return {
    header: ["kind", "key", ...columns],
    rows: events.map((event) => {
      const data = event.data as Readonly<Record<string, unknown>>
      return [event.kind, event.key, ...columns.map((column) => cellOf(data[column]))]
    })
  }
}

const widest = 40

const aligned = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number | null>>) => {
  const texts = [header, ...rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))))]
  const widths = header.map((_, i) => Math.min(widest, Math.max(...texts.map((row) => row[i]!.length))))
  return texts.map((row) =>
    row
      .map((cell, i) => (cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  )
}

/**
 * The lines of a whole read in `output` (`csv` or `table`): contests first, summed up, then the
 * other events.
 *
 * @since 0.2.0
 * @category formatting
 */
export const lines = (events: ReadonlyArray<Feed.FeedEvent>, output: Exclude<Output, "ndjson">): Array<string> => {
  const contests = events
    .filter((event): event is Feed.EventOf<"ContestResult"> => event.kind === "ContestResult")
    .map(Results.summarizeEvent)
  const others = fieldRows(events.filter((event) => event.kind !== "ContestResult"))
  const out: Array<string> = []
  if (contests.length > 0) out.push(...(output === "csv" ? Results.csv(contests) : Results.table(contests)))
  if (others.rows.length > 0) {
    if (out.length > 0) out.push("")
    out.push(
      ...(output === "csv"
        ? [others.header.join(","), ...others.rows.map((row) => row.map(Results.csvCell).join(","))]
        : aligned(others.header, others.rows))
    )
  }
  return out
}
