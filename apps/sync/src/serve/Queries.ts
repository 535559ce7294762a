/**
 * The store's contests read for people: filtered (source, office, county, kind, contest id) and paged in
 * the database, so a page of a store with thousands of contests reads only that page. Filters on the
 * contest itself look inside the stored JSON (`json_extract` on SQLite, `->>` on PostgreSQL).
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"
import { Context, Duration, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, SqlSchema } from "effect/sql"
import * as Results from "../Results.ts"
import * as Rows from "../store/Rows.ts"
import { type StoreError, storeCall } from "../store/StoreError.ts"

/**
 * Which contests to read.
 *
 * @since 0.2.0
 * @category models
 */
export interface ContestFilter {
  readonly source?: string | undefined
  /** Part of the office or title, any case. */
  readonly office?: string | undefined
  /** A county's name, any case. */
  readonly county?: string | undefined
  readonly kind?: Feed.ContestResult["contestKind"] | undefined
  /** The source's contest id, or the stored key. */
  readonly contest?: string | undefined
}

/**
 * A page: at most `limit` contests after skipping `offset`, in `(source, key)` order.
 *
 * @since 0.2.0
 * @category models
 */
export interface Paging {
  readonly limit: number
  readonly offset: number
}

/**
 * What the queries do.
 *
 * @since 0.2.0
 * @category models
 */
export interface QueriesShape {
  /** The contests that pass `filter`, summed up, a page of them when `paging` is given, and how many pass. */
  readonly contests: (
    filter: ContestFilter,
    paging?: Paging
  ) => Effect.Effect<{ readonly total: number; readonly rows: ReadonlyArray<Results.ContestSummary> }, StoreError>
  /** One contest by key (of `source`, or of the first source that has the key). */
  readonly contest: (key: string, source?: string) => Effect.Effect<Option.Option<Results.ContestSummary>, StoreError>
  /** The `seq` of the last stored change, 0 when there is none. */
  readonly lastSeq: Effect.Effect<number, StoreError>
}

// The page is read for people: a store that takes this long is not answering.
const timeout = Duration.seconds(30)

/** A filter, or one stored key. */
type Where = ContestFilter & { readonly key?: string | undefined }

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const dialect: Rows.Dialect = sql.onDialectOrElse({ pg: () => "postgres" as const, orElse: () => "sqlite" as const })
  const rows = Rows.schemas(dialect)
  const call = (what: string) => storeCall(what, "the store", timeout)
  const json = (path: ReadonlyArray<string>) =>
    dialect === "postgres"
      ? sql.unsafe(`data${path.map((p, i) => (i === path.length - 1 ? `->>'${p}'` : `->'${p}'`)).join("")}`)
      : sql.unsafe(`json_extract(data, '$.${path.join(".")}')`)
  const like = dialect === "postgres" ? sql.unsafe("ILIKE") : sql.unsafe("LIKE")

  const conditions = (filter: Where) => [
    sql`kind = 'ContestResult'`,
    sql`removed_at IS NULL`,
    ...(filter.source === undefined ? [] : [sql`source = ${filter.source}`]),
    ...(filter.key === undefined ? [] : [sql`key = ${filter.key}`]),
    ...(filter.office === undefined
      ? []
      : [
          sql`(${json(["office"])} ${like} ${likePattern(filter.office)} ESCAPE '\\' OR ${json(["title"])} ${like} ${likePattern(filter.office)} ESCAPE '\\')`
        ]),
    ...(filter.county === undefined
      ? []
      : [sql`lower(${json(["jurisdiction", "county"])}) = ${filter.county.toLowerCase()}`]),
    ...(filter.kind === undefined ? [] : [sql`${json(["contestKind"])} = ${filter.kind}`]),
    ...(filter.contest === undefined
      ? []
      : [sql`(${json(["contestId"])} = ${filter.contest} OR key = ${filter.contest})`])
  ]

  const Row = Schema.Struct({
    source: Schema.String,
    key: Schema.String,
    data: dialect === "postgres" ? Feed.ContestResult : Schema.fromJsonString(Feed.ContestResult),
    observed_at: rows.Entity.fields.observed_at,
    regressed: Schema.BooleanFromBit
  })
  const summary = (row: typeof Row.Type) =>
    Results.summarize({
      source: row.source,
      key: row.key,
      contest: row.data,
      observedAt: row.observed_at,
      regressed: row.regressed
    })

  const Filter = Schema.Struct({
    filter: Schema.Struct({
      source: Schema.optional(Schema.String),
      office: Schema.optional(Schema.String),
      county: Schema.optional(Schema.String),
      kind: Schema.optional(Schema.Literals(["candidate", "measure", "retention"])),
      contest: Schema.optional(Schema.String),
      key: Schema.optional(Schema.String)
    }),
    paging: Schema.UndefinedOr(Schema.Struct({ limit: Schema.Number, offset: Schema.Number }))
  })
  const findContests = SqlSchema.findAll({
    Request: Filter,
    Result: Row,
    execute: ({ filter, paging }) =>
      sql`SELECT source, key, data, observed_at, regressed FROM feed_entities WHERE ${sql.and(conditions(filter))}
        ORDER BY source, key ${paging === undefined ? sql`` : sql`LIMIT ${paging.limit} OFFSET ${paging.offset}`}`
  })
  const countContests = SqlSchema.findOneOption({
    Request: Filter,
    Result: rows.Seq,
    execute: ({ filter }) => sql`SELECT COUNT(*) AS n FROM feed_entities WHERE ${sql.and(conditions(filter))}`
  })
  const lastChange = SqlSchema.findOneOption({
    Request: Schema.Void,
    Result: rows.Seq,
    execute: () => sql`SELECT MAX(seq) AS n FROM feed_changes`
  })

  return Queries.of({
    contests: Effect.fn("Queries.contests")(function* (filter: ContestFilter, paging?: Paging) {
      const found = yield* findContests({ filter, paging }).pipe(call("cannot read the contests"))
      const total =
        paging === undefined
          ? found.length
          : yield* countContests({ filter, paging }).pipe(
              Effect.map(Option.match({ onNone: () => 0, onSome: (row) => row.n ?? 0 })),
              call("cannot count the contests")
            )
      return { total, rows: found.map(summary) }
    }),
    contest: Effect.fn("Queries.contest")(function* (key: string, source?: string) {
      const found = yield* findContests({ filter: { source, key }, paging: { limit: 1, offset: 0 } }).pipe(
        call(`cannot read the contest ${key}`)
      )
      return Option.map(Option.fromUndefinedOr(found[0]), summary)
    }),
    lastSeq: lastChange(undefined).pipe(
      Effect.map(Option.match({ onNone: () => 0, onSome: (row) => row.n ?? 0 })),
      call("cannot read the last change")
    )
  })
})

/**
 * The queries of the store the app has open.
 *
 * @since 0.2.0
 * @category services
 */
export class Queries extends Context.Service<Queries, QueriesShape>()("@electfeed/sync/serve/Queries") {
  /** Needs the store's `SqlClient` (the store's layer provides it). */
  static readonly layer: Layer.Layer<Queries, never, SqlClient.SqlClient> = Layer.effect(Queries, make)
}
