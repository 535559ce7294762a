/**
 * `electfeed export`: the stored results in a standard format, today the NIST SP 1500-100 election
 * results common data format (`--format nist-cdf`, JSON, version 2), to a file or stdout. The CLI
 * registers it with its own config flag, error handling and store (see `command`).
 *
 * @since 0.2.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Feed } from "@electfeed/core"
import { DateTime, Effect, Option, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import pkg from "../../package.json" with { type: "json" }
import * as AppConfig from "../AppConfig.ts"
import type { Shared } from "../Changes.ts"
import * as Stdout from "../Stdout.ts"
import { Store } from "../store/Store.ts"
import * as NistCdf from "./NistCdf.ts"

/**
 * Nothing to export, a stored result that is not one, or an output file that cannot be written.
 *
 * @since 0.2.0
 * @category errors
 */
export class ExportError extends Schema.TaggedError<ExportError>()("ExportError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot export: ${this.detail}`
  }
}

const decodeContest = Schema.decodeUnknownEffect(Feed.ContestResult)

/**
 * The stored `ContestResult`s of `source`, or of every source, by source then key.
 *
 * @since 0.2.0
 * @category reading
 */
export const stored = Effect.fn("Export.stored")(function* (source: string | undefined) {
  const store = yield* Store
  const sources = source === undefined ? (yield* store.status).map((s) => s.source) : [source]
  const results: Array<NistCdf.StoredContest> = []
  for (const name of sources) {
    for (const entity of yield* store.entities(name, "ContestResult")) {
      const data = yield* decodeContest(entity.data).pipe(
        Effect.mapError(
          (error) =>
            new ExportError({
              detail: `the stored result ${entity.key} of ${name} is not a ContestResult: ${error.message}`
            })
        )
      )
      results.push({ source: name, stream: entity.stream, key: entity.key, observedAt: entity.observedAt, data })
    }
  }
  if (results.length === 0) {
    return yield* new ExportError({
      detail: `no contest results are stored${source === undefined ? "" : ` of ${source}`}: run electfeed sync first`
    })
  }
  return results
})

/** Written whole or not at all: a reader of the file never sees half a report. */
const writeFile = (file: string, content: string) =>
  Effect.try({
    try: () => {
      const partial = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`)
      fs.writeFileSync(partial, content)
      fs.renameSync(partial, file)
    },
    catch: (cause) =>
      new ExportError({ detail: `cannot write ${file}: ${cause instanceof Error ? cause.message : String(cause)}` })
  })

const dateFlag = (name: string, description: string) =>
  Flag.String(name).pipe(
    Flag.withMetavar("YYYY-MM-DD"),
    Flag.withDescription(description),
    Flag.mapTryCatch(
      (value) => {
        // A day the calendar has: 2024-02-30 does not come back as itself.
        if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw value
        return value
      },
      () => "expected a date such as 2024-11-05"
    ),
    Flag.optional
  )

/**
 * The `export` command, with what the CLI lends it.
 *
 * @since 0.2.0
 * @category commands
 */
export const command = <Extra>(lent: Pick<Shared<Extra>, "config" | "action" | "withStore">) =>
  Command.make(
    "export",
    {
      config: lent.config,
      format: Flag.Literals("format", ["nist-cdf"]).pipe(
        Flag.withMetavar("nist-cdf"),
        Flag.withDescription(
          "nist-cdf: NIST SP 1500-100 election results common data format, JSON (version 2 of its schema)"
        )
      ),
      source: Flag.String("source").pipe(
        Flag.withMetavar("ID"),
        Flag.withDescription("Only this source's results, e.g. clarity-ga (default: every source stored)"),
        Flag.optional
      ),
      output: Flag.String("output").pipe(
        Flag.withAlias("o"),
        Flag.withMetavar("FILE"),
        Flag.withDescription("Write the report to FILE, replaced whole once written (default: stdout)"),
        Flag.optional
      ),
      electionName: Flag.String("election-name").pipe(
        Flag.withMetavar("TEXT"),
        Flag.withDescription("The election's name (default: <state> election of <date>)"),
        Flag.optional
      ),
      electionDate: dateFlag(
        "election-date",
        "The election's date (default: the earliest date of its results' timestamps, which the report's notes say)"
      )
    },
    (flags) =>
      lent.action(
        Effect.fn("Cli.export")(function* () {
          const config = yield* AppConfig.load(flags.config, undefined)
          const results = yield* stored(Option.getOrUndefined(flags.source)).pipe(lent.withStore(config))
          const report = NistCdf.report(results, {
            generatedDate: DateTime.formatIso(yield* DateTime.now),
            vendorApplicationId: `${pkg.name}@${pkg.version}`,
            electionName: Option.getOrUndefined(flags.electionName),
            electionDate: Option.getOrUndefined(flags.electionDate)
          })
          const json = `${JSON.stringify(report, null, 2)}\n`
          if (Option.isNone(flags.output)) return yield* Stdout.write(json)
          yield* writeFile(flags.output.value, json)
          const contests = report.Election.reduce((n, election) => n + election.Contest.length, 0)
          yield* Effect.logInfo(`wrote ${contests} contests (${flags.format}) to ${flags.output.value}`)
        })
      )
  ).pipe(
    Command.withDescription(
      "Write the stored results in a standard format: --format nist-cdf is the NIST SP 1500-100 election results common data format (JSON, version 2): an Election per state with its candidates and contests, each selection's votes in every reporting unit stored (the total, each county or precinct) and by way of voting where the source reports it (election day, early, absentee by mail, provisional, …), the state's counties and precincts and the contests' districts, and the parties."
    ),
    Command.withExamples([
      {
        command: "electfeed export --config electfeed.yaml --format nist-cdf --output results.json",
        description: "Every stored source's results as one report"
      },
      {
        command: "electfeed export --format nist-cdf --source clarity-ga --election-date 2024-11-05",
        description: "One source's results, with the election's date"
      }
    ])
  )
