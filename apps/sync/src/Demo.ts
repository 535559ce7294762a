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
import { Download, type Feed, Progress, Source, type SourceError } from "@electfeed/core"
import { Duration, Effect } from "effect"
import { type LogFormat, progressReporter, reportLine } from "./Output.ts"
import * as Stdout from "./Stdout.ts"
import * as Sync from "./Sync.ts"
import { type LeaseBusy, Store, type StoreError } from "./store/Store.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface DemoOptions {
  /** The store: a SQLite file (started afresh) or a PostgreSQL URL. */
  readonly store: string
  readonly logFormat: LogFormat
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

const pad = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width))

const sorted = (contest: Feed.ContestResult) => [...contest.selections].sort((a, b) => b.votes - a.votes)

const margin = (contest: Feed.ContestResult): number => {
  const [first, second] = sorted(contest)
  return first === undefined ? 0 : first.percent - (second?.percent ?? 0)
}

const leaderOf = (contest: Feed.ContestResult): string => {
  const [first, second] = sorted(contest)
  if (first === undefined || first.votes === 0) return "no votes yet"
  return `${first.name} ${first.percent.toFixed(1)}%${second === undefined ? " (unopposed)" : ` (+${margin(contest).toFixed(1)})`}`
}

const row = (label: string, contest: Feed.ContestResult) =>
  `  ${pad(label.replace(/ - (Statewide|Districtwide) Results$/, ""), 54)} ${pad(leaderOf(contest), 42)} ${contest.reporting.percent.toFixed(1).padStart(5)}%`

const summary = Effect.fn("Demo.summary")(function* (rounds: ReadonlyArray<Sync.Report>, store: string) {
  const feed = yield* Store
  const contests = (yield* feed.entities(CaSos.source.id, "ContestResult")).map((e) => e.data as Feed.ContestResult)
  const count = (kind: string) => Effect.map(feed.entities(Ballotpedia.source.id, kind), (rows) => rows.length)
  const loaded = {
    candidates: yield* count("Candidate"),
    endorsements: yield* count("Endorsement"),
    rows: yield* count("DatasetRow")
  }
  const statewide = contests.filter((c) => c.jurisdiction.district === null && c.jurisdiction.county === null)
  const offices = statewide.filter((c) => c.contestKind === "candidate" && c.party === null)
  const primaries = statewide.filter((c) => c.contestKind === "candidate" && c.party !== null)
  const measures = statewide
    .filter((c) => c.measure !== undefined)
    .sort((a, b) => Number(a.measure!.number) - Number(b.measure!.number))
  const retention = contests.filter((c) => c.contestKind === "retention")
  const retained = retention.filter((c) => sorted(c)[0]?.name === "Yes").length
  const districts = contests.filter((c) => c.jurisdiction.district !== null && c.contestKind === "candidate")
  const closest = [...districts]
    .filter((c) => c.selections.length > 1)
    .sort((a, b) => margin(a) - margin(b))
    .slice(0, 5)
  const lines = [
    "",
    "Election night summary",
    "======================",
    `${pad("Statewide offices", 56)} ${pad("Leading (margin in points)", 42)} Reporting`,
    ...offices.sort((a, b) => a.title.localeCompare(b.title)).map((c) => row(c.title, c)),
    "Presidential primaries",
    ...primaries.map((c) => row(c.title, c)),
    "Ballot measures",
    ...measures.map((c) => row(`Prop ${c.measure!.number}: ${c.measure!.title}`, c)),
    "Closest district contests",
    ...closest.map((c) => row(c.title, c)),
    `Judicial retention: ${retained} of ${retention.length} justices retained`,
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
    "Next: `./pnpm electfeed --help`; `./pnpm electfeed status --help`; the README's Configuration section."
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
): Effect.Effect<void, SourceError.SourceError | StoreError | LeaseBusy | Stdout.OutputError> =>
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
    }).pipe(
      Effect.provide(Store.layer({ url: options.store })),
      Effect.provideService(Progress.ProgressReporter, progressReporter(options.logFormat)),
      Effect.provideService(Download.DownloadDirectory, path.resolve(path.dirname(options.store), "downloads")),
      Effect.provide(Source.layer),
      Effect.scoped
    )
  )
