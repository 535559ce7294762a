/**
 * Any other dataset as the feed's `DatasetRow`: every column kept, `""` as null.
 *
 * The key is `dataset:<id>/id/<id>` when the file has an `id` column with a value (it names the row
 * whatever its position), else `dataset:<id>/row/<n>` with `n` the 0-based row number, which stays stable
 * across formats and runs only while the file keeps its order.
 *
 * @since 0.1.0
 */
import { Decoding } from "@electfeed/core"
import { Effect, Schema } from "effect"
import * as Cells from "./Cells.ts"
import type { Mapping } from "./Mapping.ts"

const Columns = Schema.Record(Schema.String, Cells.Text)

// Checked apart, so that the columns keep the file's order.
const Id = Schema.Struct({ id: Schema.optionalKey(Cells.KeyText) })

/**
 * Rows of any dataset as `DatasetRow` entities.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mapping: Mapping<"DatasetRow"> = {
  kind: "DatasetRow",
  key: "dataset:<dataset id>/id/<id column> when the file has one, else dataset:<dataset id>/row/<row number>",
  keyPrefix: (dataset) => `dataset:${dataset}`,
  // Eager: rows whose decoding is done (an `Exit`) are mapped without the effect runtime.
  decode: (row, context) =>
    Effect.flatMapEager(Decoding.decodeRow(Columns, row, context), (columns) =>
      Effect.mapEager(Decoding.decodeRow(Id, row, context), ({ id }) => ({
        key: id == null ? ["row", String(row.index)] : ["id", id],
        data: { dataset: context.dataset, row: row.index, columns }
      }))
    )
}
