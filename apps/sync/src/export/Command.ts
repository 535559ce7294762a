/**
 * `electfeed export`: the stored results in a standard format, today the NIST SP 1500-100 election
 * results common data format (`--format nist-cdf`, JSON, version 2), to a file or stdout. `Cli.ts` loads
 * this module when the command runs; its flags are in `cli/StoreCommands.ts`.
 *
 * @since 0.2.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Feed } from "@electfeed/core"
import { DateTime, Effect, Option, Schema } from "effect"
import pkg from "../../package.json" with { type: "json" }
import * as AppConfig from "../AppConfig.ts"
import type { FlagsOf } from "../cli/Shared.ts"
import type * as StoreCommands from "../cli/StoreCommands.ts"
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

/**
 * `electfeed export`.
 *
 * @since 0.2.0
 * @category commands
 */
export const command = Effect.fn("Cli.export")(function* (flags: FlagsOf<typeof StoreCommands.exportResults>) {
  // The store alone: no source is loaded, no secret needed.
  const config = yield* AppConfig.load(flags.config, undefined)
  const results = yield* stored(Option.getOrUndefined(flags.source)).pipe(Effect.provide(Store.layer(config.store)))
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
