/**
 * The normalized feed model (contract version 1.1): the envelope every source emits and the entities it
 * carries. An app that reads the feed never needs to know which connector produced an event.
 *
 * Values are plain JSON shapes, so an event is its own wire format: {@link encode} turns it into stable
 * bytes (same event, same bytes) and {@link contentHash} gives the hash that change detection compares.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { DateTime, Effect, Result, Schema, SchemaGetter } from "effect"
import * as FastDecode from "./internal/fastDecode.ts"
import { writeStable } from "./internal/stableJson.ts"
import { loneSurrogateAt } from "./internal/wellFormed.ts"

const Nullable = Schema.NullOr

const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * Where an event came from: the URL fetched (secrets and signatures removed), the SHA-256 of the raw
 * response body, and the connector as `name@version`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Provenance = Schema.Struct({
  url: Schema.String,
  sha256: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/)),
  connector: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Provenance = typeof Provenance.Type

/**
 * `{ state, county, district, precinct? }`: `state` a USPS code, `county` a name or null, `district` a
 * string or null, and (from 1.1) `precinct` the precinct's name when the reporting unit is a precinct.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Jurisdiction = Schema.Struct({
  state: Schema.String.check(Schema.isPattern(/^[A-Z]{2}$/)),
  county: Nullable(Schema.String),
  district: Nullable(Schema.String),
  /** @since 0.2.0 */
  precinct: Schema.optionalKey(Schema.String)
})

/**
 * Precincts reporting: `96.3% (547 of 568)` is `{ precinctsReporting: 547, precinctsTotal: 568, percent: 96.3 }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reporting = Schema.Struct({
  precinctsReporting: NonNegativeInt,
  precinctsTotal: NonNegativeInt,
  percent: Schema.Finite
})

/**
 * One choice in a contest: a candidate, or `Yes` / `No` of a measure or retention.
 *
 * `party` is the source's own word; `partyCode` (from 1.1) is that word through core's table
 * (`Party.code`), null where the table does not know it or there is no party. An event written before 1.1
 * has no `partyCode` and decodes with null. `voteTypes` (from 1.1, only where the source reports them):
 * votes by how they were cast, by the source's name of each way, adding up to `votes`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Selection = Schema.Struct({
  name: Schema.String,
  party: Nullable(Schema.String),
  /** @since 0.2.0 */
  partyCode: Nullable(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed(null))),
  votes: NonNegativeInt,
  percent: Schema.Finite,
  incumbent: Nullable(Schema.Boolean),
  /** @since 0.2.0 */
  voteTypes: Schema.optionalKey(Schema.Record(Schema.String, NonNegativeInt))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Selection = typeof Selection.Type

/**
 * The results of one contest in one reporting unit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContestResult = Schema.Struct({
  /** The source's own contest id, when it has one. */
  contestId: Nullable(Schema.String),
  /** As the source writes it. */
  title: Schema.String,
  /** The office without jurisdiction words, e.g. `Governor`. */
  office: Nullable(Schema.String),
  contestKind: Schema.Literals(["candidate", "measure", "retention"]),
  jurisdiction: Jurisdiction,
  /** The party of a partisan primary, else null. */
  party: Nullable(Schema.String),
  reporting: Reporting,
  /** The source's timestamp, ISO-8601 with the place's offset. */
  updatedAt: Nullable(Schema.String),
  /** In the source's order; a measure or retention has exactly `Yes` then `No`. */
  selections: Schema.Array(Selection),
  /** For measures: the number as the source writes it without padding zeros, and the title. */
  measure: Schema.optionalKey(Schema.Struct({ number: Schema.String, title: Schema.String }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ContestResult = typeof ContestResult.Type

/**
 * A person's candidacy in one stage of one race.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Candidate = Schema.Struct({
  candidateId: Schema.String,
  personId: Schema.String,
  name: Schema.String,
  firstName: Schema.String,
  lastName: Schema.String,
  party: Nullable(Schema.String),
  state: Schema.String,
  office: Schema.Struct({
    id: Nullable(Schema.String),
    name: Nullable(Schema.String),
    level: Nullable(Schema.String),
    branch: Nullable(Schema.String)
  }),
  district: Schema.Struct({
    id: Nullable(Schema.String),
    name: Nullable(Schema.String),
    type: Nullable(Schema.String),
    ocdId: Nullable(Schema.String)
  }),
  race: Schema.Struct({
    id: Nullable(Schema.String),
    type: Nullable(Schema.String),
    url: Nullable(Schema.String)
  }),
  election: Schema.Struct({
    date: Nullable(Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/))),
    stage: Nullable(Schema.String),
    stageParty: Nullable(Schema.String)
  }),
  status: Schema.String,
  incumbent: Nullable(Schema.Boolean),
  writeIn: Nullable(Schema.Boolean),
  votesFor: Nullable(NonNegativeInt),
  ballotpediaUrl: Nullable(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Candidate = typeof Candidate.Type

/**
 * An endorsement, with the dataset's other columns kept in `details`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Endorsement = Schema.Struct({
  endorser: Schema.String,
  endorsee: Schema.String,
  date: Nullable(Schema.String),
  details: Schema.Record(Schema.String, Nullable(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Endorsement = typeof Endorsement.Type

const Scalar = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean, Schema.Null]).annotate({
  expected: "text, a number, a boolean or null"
})

/**
 * One cell of a dataset row as the row keeps it: text, a number or a boolean as its text (`17`, `true`),
 * `""` and null as null. An object or array is a decode error at its path; a source whose cells may nest
 * builds on this schema for its scalars.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CellText = FastDecode.register(
  Scalar.pipe(
    Schema.decodeTo(Nullable(Schema.String), {
      decode: SchemaGetter.transform((value) => (value === null || value === "" ? null : String(value))),
      encode: SchemaGetter.transform((value) => value ?? "")
    })
  ),
  // The schema's decoding by hand, for rows decoded by the million; anything else is the schema's.
  (value) =>
    typeof value === "string"
      ? value === ""
        ? null
        : value
      : value === null
        ? null
        : typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
          ? String(value)
          : FastDecode.unsure
)

/**
 * A row of a dataset without a normalized mapping: every column kept, `""` as null.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DatasetRow = Schema.Struct({
  dataset: Schema.String,
  /** 0-based, the header not counted. */
  row: NonNegativeInt,
  columns: Schema.Record(Schema.String, Nullable(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type DatasetRow = typeof DatasetRow.Type

/**
 * Added by the feed layer when a consumer asks for changes. `removed` (from 1.1): an entity that every
 * snapshot of its stream listed is no longer listed; `data` is its last stored state.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Change = Schema.Literals(["added", "changed", "removed"])

/**
 * @since 0.1.0
 * @category models
 */
export type Change = typeof Change.Type

const envelope = <Kind extends string, Data extends Schema.Top>(kind: Kind, data: Data) =>
  Schema.Struct({
    source: Schema.String,
    stream: Schema.String,
    kind: Schema.Literal(kind),
    key: Schema.String,
    /** ISO-8601 UTC instant the response was received. */
    observedAt: Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)),
    provenance: Provenance,
    data,
    change: Schema.optionalKey(Change),
    regressed: Schema.optionalKey(Schema.Boolean)
  })

/**
 * One line of the feed: the envelope with its entity, told apart by `kind`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FeedEvent = Schema.Union([
  envelope("ContestResult", ContestResult),
  envelope("Candidate", Candidate),
  envelope("Endorsement", Endorsement),
  envelope("DatasetRow", DatasetRow)
])

/**
 * @since 0.1.0
 * @category models
 */
export type FeedEvent = typeof FeedEvent.Type

/**
 * The entity kinds of the feed.
 *
 * @since 0.1.0
 * @category models
 */
export type EntityKind = FeedEvent["kind"]

/**
 * The entity kinds, as a schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EntityKind = Schema.Literals(["ContestResult", "Candidate", "Endorsement", "DatasetRow"])

/**
 * An event of a given kind.
 *
 * @since 0.1.0
 * @category models
 */
export type EventOf<K extends EntityKind> = Extract<FeedEvent, { readonly kind: K }>

/**
 * Stable JSON: object keys sorted at every depth, no whitespace, `undefined` members left out. The same
 * value always gives the same bytes, whatever order its keys were built in. Any depth is written: a
 * value nested deeper than the call stack reaches is written without recursion.
 *
 * @since 0.1.0
 * @category encoding
 */
export const stableJson = (value: unknown): string => writeStable(value)

/**
 * An event as one NDJSON line (without the newline).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (event: FeedEvent): string => stableJson(event)

/**
 * SHA-256 hex of an entity's stable JSON: equal for equal `data`, whatever the key order.
 *
 * @since 0.1.0
 * @category encoding
 */
export const contentHash = (data: unknown): string => createHash("sha256").update(stableJson(data)).digest("hex")

/**
 * A value from upstream as one segment of an event key (`candidate/<id>/<stage>`): percent-encoded as by
 * `encodeURIComponent`, so that a `/` inside a value cannot make two keys alike. Text that is not
 * well-formed (a lone surrogate, which has no UTF-8 encoding) cannot be part of a key: the failure says
 * where it is, for the connector to report the row.
 *
 * @since 0.1.0
 * @category keys
 */
export const keyPart = (value: string): Result.Result<string, string> => {
  // The native check first: keys are made by the million, and almost all are well-formed.
  if (value.isWellFormed()) return Result.succeed(encodeURIComponent(value))
  const at = loneSurrogateAt(value)
  return at === -1
    ? Result.succeed(encodeURIComponent(value))
    : Result.fail(
        `not well-formed text: a lone surrogate (U+${value.charCodeAt(at).toString(16).toUpperCase()}) at character ${at}`
      )
}

/**
 * Checks a value against the feed model, as a consumer would.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvent = Schema.decodeUnknownEffect(FeedEvent)

/**
 * Builds an event. `observedAt` is written as an ISO-8601 UTC instant.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEvent = <K extends EntityKind>(fields: {
  readonly source: string
  readonly stream: string
  readonly kind: K
  readonly key: string
  readonly observedAt: DateTime.Utc
  readonly provenance: Provenance
  readonly data: EventOf<K>["data"]
}): EventOf<K> =>
  ({
    source: fields.source,
    stream: fields.stream,
    kind: fields.kind,
    key: fields.key,
    observedAt: DateTime.formatIso(fields.observedAt),
    provenance: fields.provenance,
    data: fields.data
  }) as EventOf<K>
