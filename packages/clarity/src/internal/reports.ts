/**
 * A version's report zips as entities: `detailxml.zip` (`detail.xml`, every contest by vote type and by
 * county or precinct) and `summary.zip` (`summary.csv`, contest totals), each inflated and parsed as it
 * streams from disk.
 */
import { Decoding, Numbers, type Source, type SourceError } from "@electfeed/core"
import { Effect, Schema, Stream } from "effect"
import { type Config, defaultMaxUncompressedBytes } from "../Config.ts"
import * as Mapping from "../Mapping.ts"
import * as Detail from "./detail.ts"
import * as Xml from "./xml.ts"
import * as Zip from "./zip.ts"

type Context = Source.VersionedContext<Config>

// Clarity's elements nest five deep; anything far deeper is not a Clarity document.
const xmlLimits: Xml.Limits = { maxDepth: 32, maxRun: 1024 * 1024 }

const failure = (context: Context, detail: string, path?: string) =>
  context.files.decodeError({ url: context.url, detail, input: "", path })

/** What an entry's bytes are read into: `take` gives what the bytes so far completed. */
interface Target<A> {
  readonly write: (bytes: Uint8Array) => SourceError.DecodeError | undefined
  readonly end: () => SourceError.DecodeError | undefined
  readonly take: () => ReadonlyArray<A>
}

/** The zip entry `name`, inflated as the zip streams in, read into `make()`'s target as it inflates. */
const unzipping = <A, E>(
  bytes: Stream.Stream<Uint8Array, E>,
  name: string,
  context: Context,
  make: () => Target<A>
): Stream.Stream<A, E | SourceError.DecodeError> =>
  Stream.suspend(() => {
    const target = make()
    let refused: SourceError.DecodeError | undefined
    const entry = Zip.readEntry(name, context.config.maxUncompressedBytes ?? defaultMaxUncompressedBytes, (piece) => {
      refused = target.write(piece)
      return refused?.message
    })
    const taken = (step: Effect.Effect<void, string>, last?: () => SourceError.DecodeError | undefined) =>
      step.pipe(
        Effect.mapError((detail) => refused ?? failure(context, detail, name)),
        Effect.flatMap(() => {
          const error = last?.()
          return error === undefined ? Effect.sync(target.take) : Effect.fail(error)
        })
      )
    return Stream.concat(
      bytes.pipe(
        Stream.mapEffect((piece) => taken(entry.push(piece))),
        Stream.flattenIterable
      ),
      Stream.fromIterableEffect(taken(entry.end, target.end))
    ).pipe(Stream.ensuring(entry.close))
  })

/** The bytes of the zip entry `name`, inflated as the zip streams in. */
const unzipped = <E>(bytes: Stream.Stream<Uint8Array, E>, name: string, context: Context) =>
  unzipping<Uint8Array, E>(bytes, name, context, () => {
    let out: Array<Uint8Array> = []
    return {
      write: (piece) => void out.push(piece),
      end: () => undefined,
      take: () => {
        const done = out
        out = []
        return done
      }
    }
  })

// Entities are built this many at a time.
const pendingChunk = 64

/** The site's state and, for a county site, its county. */
const siteOf = (config: Config) => {
  const [state, county] = config.site.split("/")
  return { state: state!, county: county === undefined ? null : county.replace(/_/g, " ") }
}

/**
 * The `ContestResult`s of `detailxml.zip`: each contest's site total, then its counties or precincts
 * (per the level), in the file's order.
 */
export const detail = (
  bytes: Stream.Stream<Uint8Array, SourceError.SourceError>,
  context: Context
): Stream.Stream<Source.Entity<"ContestResult">, SourceError.SourceError> =>
  unzipping<Detail.Pending, SourceError.SourceError>(bytes, "detail.xml", context, () => {
    const { config } = context
    const assembler = Detail.assembler({
      ...siteOf(config),
      level: config.level,
      voteTypes: config.voteTypes,
      timeZone: config.timeZone
    })
    const reader = Xml.reader(assembler.handler, xmlLimits)
    let out: Array<Detail.Pending> = []
    assembler.into(out)
    const located = (found: Xml.Failure | undefined) =>
      found === undefined ? undefined : failure(context, found.detail, `detail.xml:${found.line}:${found.column}`)
    return {
      write: (piece) => located(reader.write(piece)),
      end: () => located(reader.end()),
      take: () => {
        const done = out
        out = []
        assembler.into(out)
        return done
      }
    }
  }).pipe(Stream.rechunk(pendingChunk), Stream.map(Detail.build))

// One row of `summary.csv`: one choice of one contest (state sites add `num Area total` / `num Area rptg`,
// which the totals do not need).
const SummaryRow = Schema.Struct({
  "contest name": Schema.String,
  "choice name": Schema.String,
  "party name": Schema.String,
  "total votes": Numbers.IntFromCount,
  "num Precinct total": Numbers.IntFromCount,
  "num Precinct rptg": Numbers.IntFromCount
})

type SummaryRow = typeof SummaryRow.Type

const summaryContest = (rows: ReadonlyArray<SummaryRow>, context: Context): Source.Entity<"ContestResult"> => {
  const first = rows[0]!
  const title = first["contest name"]
  const results = Mapping.contestResults({
    key: title,
    title,
    isQuestion: false,
    choices: rows.map((row) => ({ text: row["choice name"], party: row["party name"] }))
  })
  const reported = first["num Precinct rptg"]
  const total = first["num Precinct total"]
  const site = siteOf(context.config)
  return {
    key: [title],
    data: {
      ...results({
        ...site,
        reporting: { precinctsReporting: reported, precinctsTotal: total, percent: Mapping.percentOf(reported, total) },
        updatedAt: null,
        votes: rows.map((row) => row["total votes"])
      }),
      // The summary has no contest ids: the title is the contest's identity there.
      contestId: null
    }
  }
}

/**
 * The `ContestResult`s of `summary.zip`: each contest's totals, from its consecutive rows of
 * `summary.csv`. A row that cannot be read fails the read: a contest missing a choice would be wrong.
 */
export const summary = (
  bytes: Stream.Stream<Uint8Array, SourceError.SourceError>,
  context: Context
): Stream.Stream<Source.Entity<"ContestResult">, SourceError.SourceError> => {
  const rowContext = { client: context.files, url: context.url }
  const rows = Decoding.csvRows(unzipped(bytes, "summary.csv", context), rowContext).pipe(
    Stream.mapEffect((outcome) =>
      outcome._tag === "Malformed" ? Effect.fail(outcome.error) : Decoding.decodeRow(SummaryRow, outcome, rowContext)
    )
  )
  return Stream.suspend(() => {
    let held: Array<SummaryRow> = []
    const flush = () => {
      const group = held
      held = []
      return group.length === 0 ? [] : [summaryContest(group, context)]
    }
    return Stream.concat(
      rows.pipe(
        Stream.map((row) => {
          const done = held.length > 0 && held[0]!["contest name"] !== row["contest name"] ? flush() : []
          held.push(row)
          return done
        }),
        Stream.flattenIterable
      ),
      Stream.fromIterableEffect(Effect.sync(flush))
    )
  })
}
