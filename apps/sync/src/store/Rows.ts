/**
 * The store's rows as they come back from each backend, decoded to one shape: PostgreSQL hands back
 * `jsonb` parsed, `timestamptz` as `Date` and `COUNT(*)` as `bigint`; SQLite hands back JSON as text,
 * times as the ISO strings written, and counts as numbers.
 *
 * @since 0.1.0
 */
import { Feed, SourceError } from "@electfeed/core"
import { Schema, SchemaGetter } from "effect"

/**
 * Which backend a store runs on.
 *
 * @since 0.1.0
 * @category models
 */
export type Dialect = "postgres" | "sqlite"

const IsoFromDate = Schema.Date.pipe(
  Schema.decodeTo(Schema.String, {
    decode: SchemaGetter.transform((date: Date) => date.toISOString()),
    encode: SchemaGetter.transform((iso: string) => new Date(iso))
  })
)

const NumberFromBigInt = Schema.BigInt.pipe(
  Schema.decodeTo(Schema.Number, {
    decode: SchemaGetter.transform((n: bigint) => Number(n)),
    encode: SchemaGetter.transform((n: number) => BigInt(n))
  })
)

/**
 * The row schemas of one backend.
 *
 * @since 0.1.0
 * @category schemas
 */
export const schemas = (dialect: Dialect) => {
  const postgres = dialect === "postgres"
  const json = <T>(schema: Schema.Codec<T, unknown>): Schema.Codec<T, unknown> =>
    postgres ? schema : Schema.fromJsonString(schema)
  const time: Schema.Codec<string, unknown> = postgres ? IsoFromDate : Schema.String
  const count: Schema.Codec<number, unknown> = postgres ? NumberFromBigInt : Schema.Number
  const optionalTime = Schema.NullOr(time)
  return {
    /** What change detection compares an event with. */
    Known: Schema.Struct({ key: Schema.String, hash: Schema.String, data: json(Schema.Unknown) }),
    /** What tells an event stored already: its key and hash, as the lookup hands them back. */
    Hash: Schema.Tuple([Schema.String, Schema.String]),
    Checkpoint: Schema.Struct({ source: Schema.String, stream: Schema.String, state: json(Schema.Json) }),
    Run: Schema.Struct({
      source: Schema.String,
      last_run_at: time,
      last_success_at: optionalTime,
      last_error: Schema.NullOr(json(Schema.Struct({ message: Schema.String }))),
      last_error_at: optionalTime
    }),
    Count: Schema.Struct({ source: Schema.String, n: count }),
    Entity: Schema.Struct({
      source: Schema.String,
      key: Schema.String,
      stream: Schema.String,
      kind: Schema.String,
      hash: Schema.String,
      data: json(Schema.Unknown),
      observed_at: time,
      regressed: Schema.BooleanFromBit
    }),
    History: Schema.Struct({
      observed_at: time,
      change: Schema.String,
      regressed: Schema.BooleanFromBit,
      precincts_reporting: Schema.Number,
      precincts_total: Schema.Number,
      percent_reporting: Schema.Number,
      selections: json(Schema.Array(Feed.Selection))
    }),
    Skipped: Schema.Struct({ error: json(SourceError.DecodeError) }),
    Lease: Schema.Struct({ holder: Schema.String, expires_at: time }),
    /** What an upsert did to a row, as the store decided it. */
    Upserted: Schema.Tuple([Schema.String, Schema.Literals(["added", "changed"])]),
    /** An entity marked removed, with its last stored state. */
    Removed: Schema.Struct({ key: Schema.String, kind: Feed.EntityKind, data: json(Schema.Unknown) }),
    /** A key of an entity still listed. */
    Key: Schema.Struct({ key: Schema.String }),
    /** A stored change, its event validated against the feed model. */
    Change: Schema.Struct({ seq: count, committed_at: time, event: json(Feed.FeedEvent) }),
    Seq: Schema.Struct({ n: Schema.NullOr(count) })
  }
}

/**
 * @since 0.1.0
 * @category schemas
 */
export type Schemas = ReturnType<typeof schemas>
