/**
 * A short election night on this machine, with nothing but the repo: the README's first command ends
 * here.
 *
 * It starts both API simulators on 127.0.0.1, loads a Ballotpedia candidates dataset (downloaded and
 * parsed like any bulk file), then polls the CA SOS timeline from the pre-election test data through the
 * reset to final results, storing everything in SQLite, and prints what a newsroom would look at.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Ballotpedia from "@electfeed/ballotpedia"
import * as BallotpediaTesting from "@electfeed/ballotpedia/testing"
import * as CaSos from "@electfeed/ca-sos"
import * as CaSosTesting from "@electfeed/ca-sos/testing"
import { Download, Progress, Source, type SourceError } from "@electfeed/core"
import { Duration, Effect, Layer } from "effect"
import { type LogFormat, progressReporter, reportLine } from "./Output.ts"
import * as Results from "./Results.ts"
import * as Stdout from "./Stdout.ts"
import * as Sync from "./Sync.ts"
import { Queries } from "./serve/Queries.ts"
import * as Server from "./serve/Server.ts"
import { type LeaseBusy, Store, type StoreError } from "./store/Store.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface DemoOptions {
  /** The store: a SQLite file (started afresh) or a PostgreSQL URL. */
  readonly store: string
  readonly logFormat: LogFormat
  /**
   * Keep the results page up after the election night, on this port (0 for any free one), until
   * stopped.
   *
   * @since 0.2.0
   */
  readonly serve?: number | undefined
}

const candidatesDataset = "1253"

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url)

/** A SQLite demo store starts empty, so every run tells the same story. */
const startAfresh = (store: string) =>
  Effect.sync(() => {
    if (isPostgres(store)) return
    const file = store.replace(/^sqlite:(\/\/)?/, "")
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true })
  })

const summary = Effect.fn("Demo.summary")(function* (rounds: ReadonlyArray<Sync.Report>, store: string) {
  const feed = yield* Store
  const contests = (yield* (yield* Queries).contests({ source: CaSos.source.id })).rows
  const count = (kind: string) => Effect.map(feed.entities(Ballotpedia.source.id, kind), (rows) => rows.length)
  const loaded = {
    candidates: yield* count("Candidate"),
    endorsements: yield* count("Endorsement"),
    rows: yield* count("DatasetRow")
  }
  const lines = [
    "",
    "Election night summary",
    "======================",
    ...Results.table(contests, { summary: true }),
    "",
    "Changes seen per poll (CA SOS)",
    ...rounds.map(
      (r, i) =>
        `  poll ${i + 1}: ${r.added} added, ${r.changed} changed${
          r.regressed > 0 ? `, ${r.regressed} regressed (pre-election test data cleared)` : ""
        }`
    ),
    "",
    `Ballotpedia: ${loaded.candidates} candidates, ${loaded.endorsements} endorsements, ${loaded.rows} other rows loaded`,
    `${contests.length} contests and their history stored in ${store}`,
    "Next: `./electfeed results --help`; `./electfeed serve --help`; the README's Configuration section."
  ]
  yield* Stdout.lines(...lines)
})

/**
 * Runs the demo.
 *
 * @since 0.1.0
 * @category demo
 */
export const run = (
  options: DemoOptions
): Effect.Effect<void, SourceError.SourceError | StoreError | LeaseBusy | Stdout.OutputError | Server.ServeError> =>
  Effect.andThen(
    // Before the store is opened: removing an open SQLite file would leave the demo writing to a ghost.
    startAfresh(options.store),
    Effect.gen(function* () {
      const caSos = yield* CaSosTesting.serve({ timeline: true })
      const ballotpedia = yield* BallotpediaTesting.serve({
        datasets: [
          {
            id: candidatesDataset,
            title: "Candidates 2024",
            description: "Every candidate on 2024 ballots",
            kind: "candidates",
            rows: 5000
          },
          ...BallotpediaTesting.Simulator.defaultDatasets.filter((d) => d.id !== candidatesDataset)
        ]
      })
      yield* Stdout.lines(
        "electfeed demo: a short election night against the bundled simulators",
        `  CA SOS results API     ${caSos.url} (${caSos.steps} updates, from pre-election test data to final)`,
        `  Ballotpedia bulk data  ${ballotpedia.url}`,
        `  store                  ${options.store}`,
        ""
      )
      const caSosEntry: Sync.Entry = {
        source: CaSos.source,
        // The simulator is local: no need for the public API's polite pace.
        config: yield* Source.decodeConfig(CaSos.source, {
          baseUrl: caSos.url,
          rateLimit: { limit: 100, window: "1 second" }
        }),
        every: Duration.seconds(60)
      }
      const ballotpediaEntry: Sync.Entry = {
        source: Ballotpedia.source,
        config: yield* Source.decodeConfig(Ballotpedia.source, {
          baseUrl: ballotpedia.url,
          apiKey: ballotpedia.apiKey
        }),
        every: Duration.hours(24)
      }

      const [loaded] = yield* Sync.syncOnce([ballotpediaEntry])
      yield* Stdout.lines(reportLine(loaded!))

      const rounds: Array<Sync.Report> = []
      for (let position = 0; position < caSos.steps; position++) {
        if (position > 0) caSos.step()
        const [round] = yield* Sync.syncOnce([caSosEntry], { keepChanges: true })
        rounds.push(round!)
        yield* Stdout.lines(reportLine(round!, position + 1))
        if (round!.error !== undefined) return yield* Effect.fail(round!.error)
      }
      yield* summary(rounds, options.store)
      if (options.serve !== undefined) {
        const url = yield* Server.start({ port: options.serve })
        yield* Stdout.lines("", `Results page: ${url}/ (Ctrl-C stops it)`)
        return yield* Effect.never
      }
    }).pipe(
      Effect.provide(Layer.provideMerge(Queries.layer, Store.layer({ url: options.store }))),
      Effect.provideService(Progress.ProgressReporter, progressReporter(options.logFormat)),
      Effect.provideService(Download.DownloadDirectory, path.resolve(path.dirname(options.store), "downloads")),
      Effect.provide(Source.layer),
      Effect.scoped
    )
  )
