/**
 * The commands that read the store (`changes`, `prune-changes`, `serve`, `results`, `export`) as `--help`
 * shows them, without their handlers (which `Cli.ts` adds, each loaded when its command runs), and the
 * flags of the results server, which `poll --serve` and `demo --serve` have too.
 *
 * @internal
 */
import { Command, Flag } from "effect/cli"
import { configFlag } from "./Shared.ts"

/**
 * `--port N`, 8080 unless given (0 for any free port).
 *
 * @internal
 */
export const portFlag = Flag.Int("port").pipe(
  Flag.withMetavar("N"),
  Flag.withDescription("The port of the results page and API on 127.0.0.1 (0 for any free port)"),
  Flag.withDefault(8080)
)

const hostFlag = Flag.String("host").pipe(
  Flag.withMetavar("ADDRESS"),
  Flag.withDescription("The address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)"),
  Flag.withDefault("127.0.0.1")
)

/**
 * The flags `poll` gains: `--serve`, with `--port` and `--host`.
 *
 * @internal
 */
export const serveFlags = {
  serve: Flag.Boolean("serve").pipe(
    Flag.withDescription("Also serve the live results page and API (see `electfeed serve`) while polling"),
    Flag.withDefault(false)
  ),
  port: portFlag,
  host: hostFlag
}

/** @internal */
export const changes = Command.make("changes", {
  config: configFlag,
  since: Flag.Int("since").pipe(
    Flag.withMetavar("SEQ"),
    Flag.withDescription("Print the changes after this seq (0 for all); resume with the last seq you printed"),
    Flag.withDefault(0)
  ),
  follow: Flag.Boolean("follow").pipe(
    Flag.withAlias("f"),
    Flag.withDescription("Then wait for new changes and print each once it is committed, until stopped"),
    Flag.withDefault(false)
  ),
  source: Flag.String("source").pipe(
    Flag.withMetavar("ID"),
    Flag.withDescription("Only this source's changes, e.g. ca-sos"),
    Flag.optional
  ),
  kind: Flag.Literals("kind", ["ContestResult", "Candidate", "Endorsement", "DatasetRow"]).pipe(
    Flag.withMetavar("KIND"),
    Flag.withDescription("Only changes of this kind"),
    Flag.optional
  )
}).pipe(
  Command.withDescription(
    "Print the stored changes as NDJSON, in the order they were stored: each line is the feed event with its `change` (added, changed or removed; `regressed: true` when counts went down) and its `seq`, a number that only grows across the whole store. Resume with --since the last seq you handled; --follow waits for new ones (PostgreSQL: told on commit; SQLite: looks five times a second)."
  ),
  Command.withExamples([
    { command: "electfeed changes --config electfeed.yaml", description: "Every change stored" },
    {
      command: "electfeed changes --config electfeed.yaml --since 1200 --follow --source ca-sos",
      description: "CA SOS changes after seq 1200, then each new one as it is stored"
    },
    {
      command: "electfeed changes --config electfeed.yaml --kind ContestResult | jq -c 'select(.regressed)'",
      description: "Contests whose counts went down"
    }
  ])
)

/** @internal */
export const pruneChanges = Command.make("prune-changes", {
  config: configFlag,
  before: Flag.Int("before").pipe(
    Flag.withMetavar("SEQ"),
    Flag.withDescription("Delete the changes with a seq below this one"),
    Flag.optional
  ),
  keep: Flag.String("keep").pipe(
    Flag.withMetavar("DURATION"),
    Flag.withDescription(
      'Delete the changes stored longer ago than this, e.g. "30 days" (default: the store\'s changeRetention)'
    ),
    Flag.optional
  )
}).pipe(
  Command.withDescription(
    "Delete old stored changes (the data, history and checkpoints stay). A seq is never given again, so consumers that resume after a pruned seq go on unharmed."
  ),
  Command.withExamples([
    {
      command: "electfeed prune-changes --config electfeed.yaml --before 50000",
      description: "Changes below seq 50000"
    },
    {
      command: 'electfeed prune-changes --config electfeed.yaml --keep "30 days"',
      description: "Changes stored more than 30 days ago"
    }
  ])
)

/** @internal */
export const serve = Command.make("serve", { config: configFlag, port: portFlag, host: hostFlag }).pipe(
  Command.withDescription(
    "Serve the results: a page of every contest (leader, margin, percent reporting, last update) that updates itself as changes are stored, a page per contest with its votes over time, and a JSON API (contests, a contest's history, changes since a seq, server-sent events of changes, status) described by its OpenAPI document at /api/openapi.json. Run it beside `poll`, or use `poll --serve`."
  ),
  Command.withExamples([
    { command: "electfeed serve --config electfeed.yaml", description: "http://127.0.0.1:8080/" },
    {
      command: "curl -N -H 'Last-Event-ID: 1200' http://127.0.0.1:8080/api/changes/stream",
      description: "Changes after seq 1200, then each one as it is stored"
    }
  ])
)

/** @internal */
export const results = Command.make("results", {
  config: configFlag,
  source: Flag.String("source").pipe(
    Flag.withMetavar("ID"),
    Flag.withDescription("Only this source's contests, e.g. ca-sos"),
    Flag.optional
  ),
  contest: Flag.String("contest").pipe(
    Flag.withMetavar("ID"),
    Flag.withDescription("Only this contest: the source's contest id (e.g. 02000000000059) or its stored key"),
    Flag.optional
  ),
  office: Flag.String("office").pipe(
    Flag.withMetavar("TEXT"),
    Flag.withDescription("Only contests whose office or title holds this text, any case (e.g. governor)"),
    Flag.optional
  ),
  output: Flag.Literals("output", ["table", "csv", "ndjson"]).pipe(
    Flag.withMetavar("table|csv|ndjson"),
    Flag.withDescription(
      "table for people (by group, as on the results page), csv for spreadsheets, ndjson for programs"
    ),
    Flag.withDefault("table" as const)
  )
}).pipe(
  Command.withDescription(
    "The stored contests with their leader, margin (in percentage points), percent reporting and last update, grouped as on the results page: statewide offices, presidential primaries, ballot measures, districts (closest first), judicial retention, then county breakdowns and other contests."
  ),
  Command.withExamples([
    { command: "electfeed results --config electfeed.yaml", description: "Every contest, as a table" },
    {
      command: "electfeed results --config electfeed.yaml --office governor --output csv > governor.csv",
      description: "One office as CSV"
    }
  ])
)

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

/** @internal */
export const exportResults = Command.make("export", {
  config: configFlag,
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
}).pipe(
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
