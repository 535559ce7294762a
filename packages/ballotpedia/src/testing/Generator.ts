/**
 * Deterministic datasets for tests and benchmarks, and their files as JSON and CSV.
 *
 * A {@link Table} produces any row on demand from its seed and index, so a file of a million rows is
 * never held in memory: {@link file} writes it piece by piece, from any byte, as an S3-like host serves
 * a `Range`. Values are realistic and nasty on purpose: accents, quotes, commas, line breaks (LF and
 * CRLF) inside values, and many empty cells, as in the real file.
 *
 * @since 0.1.0
 */
import { type Row as CandidateRow, columns as candidateColumns } from "./CandidateColumns.ts"

/**
 * A dataset's rows by index: every cell text, `""` when empty.
 *
 * @since 0.1.0
 * @category models
 */
export interface Table {
  readonly columns: ReadonlyArray<string>
  readonly size: number
  readonly row: (index: number) => Readonly<Record<string, string>>
}

// A small, fast generator (mulberry32) seeded by the table's seed and the row's index, so that each row
// can be made on its own.
const randomFor = (seed: number, index: number) => {
  let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (below: number) => Math.floor(next() * below),
    pick: <A>(values: ReadonlyArray<A>): A => values[Math.floor(next() * values.length)]!,
    chance: (p: number) => next() < p
  }
}

const states = ["AL", "AK", "AZ", "CA", "CO", "FL", "GA", "IL", "MI", "NY", "NC", "OH", "PA", "TX", "WA", "WI"]
const firstNames = ["Jimmie", "María", "José", "Zoë", "Renée", "D'Andre", "Mary-Kate", "Björn", "Siobhán", "Ana", "Li"]
const lastNames = ["Brown", "Núñez", "O'Brien", "García", "Nguyễn", "Smith, Jr.", "Müller", "Øster", "Kowalski", "Lee"]
const nicknames = ["Bobby", "Doc", "T.J.", "Sunny"]
const parties = ["Democratic Party", "Republican Party", "Nonpartisan", "Libertarian Party", "Green Party", ""]
const statuses = ["On the Ballot", "Withdrew", "Lost", "Won", "Disqualified"]
const stages = ["Primary", "General"]
const offices = [
  { name: "U.S. House", level: "Federal", branch: "Legislative", district: "Congressional District" },
  { name: "State Senate", level: "State", branch: "Legislative", district: "State Legislative (Upper)" },
  { name: 'Superior Court, "Brown\'s" Seat', level: "Local", branch: "Judicial", district: "Judicial district" },
  { name: "Board of Education,\nSeat 3", level: "Local", branch: "Executive", district: "School district" },
  { name: "Mayor\r\nCity of Saint-Étienne", level: "Local", branch: "Executive", district: "City" }
]

const flag = (r: ReturnType<typeof randomFor>) => r.pick(["true", "false", ""])

const candidateRow = (seed: number, index: number): CandidateRow => {
  const r = randomFor(seed, index)
  // Two rows per candidacy (primary then general), so candidate ids repeat and stage ids tell them apart.
  const candidacy = index >> 1
  const stage = index & 1
  const state = r.pick(states)
  const office = r.pick(offices)
  const district = 1 + r.int(40)
  const first = r.pick(firstNames)
  const last = r.pick(lastNames)
  const name = r.chance(0.1) ? `${first} "${r.pick(nicknames)}" ${last}` : `${first} ${last}`
  const slug = `${first}_${last}`.replaceAll(" ", "_")
  const counted = r.chance(0.4)
  return {
    election_year: r.pick(["2022", "2024", "2026"]),
    state,
    office_id: String(40000 + r.int(9000)),
    office_name: `${office.name} ${state} District ${district}`,
    office_level: office.level,
    office_branch: office.branch,
    district_id: String(100000 + r.int(90000)),
    district_ocdid: r.chance(0.5) ? `ocd-division/country:us/state:${state.toLowerCase()}/cd:${district}` : "",
    district_name: `${state} ${office.district} ${district}`,
    district_type: office.district,
    parent_district_id: r.chance(0.3) ? String(50000 + r.int(9000)) : "",
    parent_district_name: r.chance(0.3) ? `${state} parent district` : "",
    race_id: String(130000 + (candidacy >> 3)),
    race_type: r.pick(["Regular", "Special", "Recall"]),
    seats_up_for_election: String(1 + r.int(3)),
    race_url: r.chance(0.2) ? `https://ballotpedia.org/${state}_race_${candidacy >> 3}` : "",
    election_date_id: String(28000 + r.int(900)),
    election_date: `2024-${String(1 + r.int(12)).padStart(2, "0")}-${String(1 + r.int(28)).padStart(2, "0")}`,
    election_date_district_type: "State",
    stage_id: String(500000 + 2 * (candidacy >> 3) + stage),
    stage: stages[stage]!,
    stage_party: stage === 0 && r.chance(0.5) ? r.pick(parties) : "",
    is_partisan_primary: stage === 0 ? flag(r) : "",
    stage_is_canceled: r.chance(0.05) ? "true" : "false",
    stage_is_ranked_choice: "false",
    stage_write_in_other_votes: counted ? String(r.int(500)) : "",
    candidate_id: String(200000 + candidacy),
    person_id: String(550000 + candidacy),
    name,
    first_name: first,
    last_name: last,
    ballotpedia_url: `https://ballotpedia.org/${slug}`,
    gender: r.pick(["Male", "Female", ""]),
    party_affiliation: r.pick(parties),
    is_incumbent: flag(r),
    candidate_status: r.pick(statuses),
    is_write_in: r.chance(0.1) ? "true" : "false",
    is_withdrawn_still_on_ballot: "false",
    votes_for: counted ? String(r.int(250000)) : "",
    votes_against: "",
    delegates_pledged: "",
    ranked_choice_voting_round: "",
    campaign_email: r.chance(0.3) ? `${slug.toLowerCase()}@example.org` : "",
    other_email: "",
    campaign_website: r.chance(0.3) ? `https://example.org/${slug}?a=1,b=2` : "",
    personal_website: "",
    campaign_phone: r.chance(0.2) ? `(555) 01${r.int(10)}-${String(r.int(10000)).padStart(4, "0")}` : ""
  }
}

/**
 * A Candidates dataset of `size` rows: the file's 47 columns.
 *
 * @since 0.1.0
 * @category tables
 */
export const candidates = (size: number, seed = 1): Table => ({
  columns: candidateColumns,
  size,
  row: (index) => candidateRow(seed, index)
})

/**
 * The rows of {@link candidates}, one at a time.
 *
 * @since 0.1.0
 * @category tables
 */
export function* candidateRows(size: number, seed = 1): Generator<CandidateRow> {
  for (let index = 0; index < size; index++) yield candidateRow(seed, index)
}

const endorsers = ["Sierra Club", "NRA Political Victory Fund", "AFL-CIO", "Emily's List", "Club for Growth, Inc."]

/**
 * An endorsements dataset of `size` rows.
 *
 * @since 0.1.0
 * @category tables
 */
export const endorsements = (size: number, seed = 1): Table => ({
  columns: [
    "endorser_id",
    "endorser_name",
    "endorser_type",
    "candidate_id",
    "candidate_name",
    "office_name",
    "state",
    "endorsement_date",
    "source_url"
  ],
  size,
  row: (index) => {
    const r = randomFor(seed, index)
    return {
      endorser_id: String(7000 + index),
      endorser_name: r.pick(endorsers),
      endorser_type: r.pick(["Organization", "Elected official", "Newspaper"]),
      candidate_id: String(200000 + r.int(5000)),
      candidate_name: `${r.pick(firstNames)} ${r.pick(lastNames)}`,
      office_name: r.pick(offices).name,
      state: r.pick(states),
      endorsement_date: r.chance(0.8) ? `2020-${String(1 + r.int(12)).padStart(2, "0")}-15` : "",
      source_url: r.chance(0.5) ? `https://example.org/endorsements/${index}` : ""
    }
  }
})

/**
 * A dataset without a normalized mapping (ballot measures) of `size` rows, with an `id` column.
 *
 * @since 0.1.0
 * @category tables
 */
export const measures = (size: number, seed = 1): Table => ({
  columns: ["id", "state", "election_date", "measure_name", "measure_type", "status", "yes_votes", "no_votes"],
  size,
  row: (index) => {
    const r = randomFor(seed, index)
    const decided = r.chance(0.6)
    return {
      id: String(90000 + index),
      state: r.pick(states),
      election_date: "2024-11-05",
      measure_name: `Proposition ${index + 1}: "${r.pick(["Water", "Schools", "Taxes"])}" bonds, $${r.int(900)}M`,
      measure_type: r.pick(["Initiated statute", "Legislative referral", "Bond issue"]),
      status: decided ? r.pick(["Approved", "Defeated"]) : "",
      yes_votes: decided ? String(r.int(5_000_000)) : "",
      no_votes: decided ? String(r.int(5_000_000)) : ""
    }
  }
})

/**
 * A table of the given rows; its columns are the first row's keys unless given.
 *
 * @since 0.1.0
 * @category tables
 */
export const fromRows = (
  rows: ReadonlyArray<Readonly<Record<string, string>>>,
  columns: ReadonlyArray<string> = Object.keys(rows[0] ?? {})
): Table => ({ columns, size: rows.length, row: (index) => rows[index]! })

/**
 * How a table is written as CSV. Defaults: CRLF, no byte-order mark.
 *
 * @since 0.1.0
 * @category files
 */
export interface CsvOptions {
  readonly newline?: "\r\n" | "\n" | undefined
  readonly bom?: boolean | undefined
}

/**
 * Changes to a table's rows, to make a malformed file: cells replaced, and rows broken beyond reading
 * (a JSON element that is not an object; a CSV record with an extra field).
 *
 * @since 0.1.0
 * @category files
 */
export interface Damage {
  readonly cells?: ReadonlyMap<number, Readonly<Record<string, string>>> | undefined
  readonly broken?: ReadonlySet<number> | undefined
}

/**
 * A file made from a table: its size, and its bytes from any offset, in pieces of about 64 KiB.
 *
 * @since 0.1.0
 * @category files
 */
export interface File {
  readonly size: number
  readonly bytes: (start?: number) => Iterable<Uint8Array>
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

interface Layout {
  readonly head: string
  readonly tail: string
  readonly row: (index: number) => string
}

const damaged = (table: Table, damage: Damage, index: number) => {
  const cells = damage.cells?.get(index)
  return cells === undefined ? table.row(index) : { ...table.row(index), ...cells }
}

const jsonLayout = (table: Table, damage: Damage): Layout => ({
  head: "[\n",
  tail: "]\n",
  row: (index) => {
    const cells = damaged(table, damage, index)
    const text = damage.broken?.has(index) ? JSON.stringify(Object.values(cells)) : JSON.stringify(cells)
    return index < table.size - 1 ? `${text},\n` : `${text}\n`
  }
})

const csvLayout = (table: Table, damage: Damage, options: CsvOptions): Layout => {
  const newline = options.newline ?? "\r\n"
  return {
    head: `${options.bom ? "\uFEFF" : ""}${table.columns.map(csvField).join(",")}${newline}`,
    tail: "",
    row: (index) => {
      const cells = damaged(table, damage, index)
      const fields = table.columns.map((column) => csvField(cells[column] ?? ""))
      if (damage.broken?.has(index)) fields.push("an extra field")
      return `${fields.join(",")}${newline}`
    }
  }
}

const piece = 64 * 1024

/**
 * Writes `table` as `format`. The size is measured once, row by row, and each row's offset kept, so that
 * bytes can start anywhere without making the rows before.
 *
 * @since 0.1.0
 * @category files
 */
export const file = (
  table: Table,
  format: "json" | "csv",
  options?: { readonly damage?: Damage | undefined; readonly csv?: CsvOptions | undefined }
): File => {
  const damage = options?.damage ?? {}
  const layout = format === "json" ? jsonLayout(table, damage) : csvLayout(table, damage, options?.csv ?? {})
  const head = Buffer.from(layout.head)
  // starts[i] is the offset of row i; starts[size] the offset of the tail.
  const starts = new Float64Array(table.size + 1)
  let offset = head.byteLength
  for (let index = 0; index < table.size; index++) {
    starts[index] = offset
    offset += Buffer.byteLength(layout.row(index))
  }
  starts[table.size] = offset
  const tail = Buffer.from(layout.tail)
  const size = offset + tail.byteLength

  const firstRowAt = (start: number) => {
    let low = 0
    let high = table.size
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= start) low = middle
      else high = middle - 1
    }
    return low
  }

  function* bytes(start = 0): Generator<Uint8Array> {
    let pending: Array<Uint8Array> = []
    let pendingBytes = 0
    const add = (buffer: Uint8Array) => {
      pending.push(buffer)
      pendingBytes += buffer.byteLength
    }
    if (start < head.byteLength) add(head.subarray(start))
    for (let index = start < head.byteLength ? 0 : firstRowAt(start); index < table.size; index++) {
      const row = Buffer.from(layout.row(index))
      add(start > starts[index]! ? row.subarray(start - starts[index]!) : row)
      if (pendingBytes >= piece) {
        yield Buffer.concat(pending, pendingBytes)
        pending = []
        pendingBytes = 0
      }
    }
    add(start > starts[table.size]! ? tail.subarray(start - starts[table.size]!) : tail)
    if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes)
  }

  return { size, bytes }
}
