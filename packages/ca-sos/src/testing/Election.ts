/**
 * The simulator's built-in election: invented contests in every shape the real API has, written for
 * this package (no real body is copied). Every name and number is made up.
 *
 * It holds every statewide office (a 61-candidate governor's race, a same-party race, a nonpartisan
 * office whose candidates are `Non`), a presidential primary for each party, six ballot measures with
 * zero-padded numbers, supreme court and appellate retentions, and every district of the district
 * offices, among them a single-candidate race and a district that never reports 100%. Names carry
 * quotes, parentheses, apostrophes and accents.
 *
 * @since 0.1.0
 */
import * as ContestId from "../ContestId.ts"
import type { ListKey } from "../Wire.ts"

/**
 * A candidate, with the share of the vote it ends with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Choice {
  readonly name: string
  readonly party: string
  readonly incumbent: boolean
  readonly share: number
}

/**
 * A measure or a justice, with the share of yes votes it ends with.
 *
 * @since 0.1.0
 * @category models
 */
export interface YesNo {
  readonly name: string
  /** A measure's number as the API writes it, zero-padded. */
  readonly number: string | undefined
  readonly yes: number
}

/**
 * One contest of the built-in election.
 *
 * @since 0.1.0
 * @category models
 */
export interface Contest {
  /** The first 12 digits of its contest id (the last two are the county's), where the id is known. */
  readonly code: string | undefined
  /** The endpoint of its whole-area result, e.g. `/returns/us-rep/district/7`. */
  readonly path: string
  /** `Governor - Statewide Results` */
  readonly title: string
  readonly list: ListKey
  readonly precincts: number
  /** Votes cast in it by the end. */
  readonly ballots: number
  /** The share of precincts that ever report: 1 for most contests. */
  readonly finalReporting: number
  readonly counties: ReadonlyArray<ContestId.County>
  /** The candidates of an office; empty for measures and retentions. */
  readonly choices: ReadonlyArray<Choice>
  /** The measures or justices; empty for an office. */
  readonly yesNo: ReadonlyArray<YesNo>
}

/**
 * A number in [0, 1) that depends only on `text`: the data is the same on every run.
 *
 * @since 0.1.0
 * @category data
 */
export const unit = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0) / 2 ** 32
}

const firstNames = [
  "Marisol",
  "Desmond",
  "Ingrid",
  "Tobias",
  "Leilani",
  "Rafael",
  "Odessa",
  "Cormac",
  "Priya",
  "Anselm",
  "Yesenia",
  "Thaddeus",
  "Noor",
  "Everett",
  "Catalina",
  "Bram",
  "Imogen",
  "Dashiell",
  "Soledad",
  "Kwame",
  "Rosalind",
  "Linus",
  "Ximena",
  "Augustin",
  "Mei",
  "Florian",
  "Itzel",
  "Casimir",
  "Wren",
  "Ezequiel",
  "Delphine",
  "Hollis",
  "Amara",
  "Lucius",
  "Paloma",
  "Gideon",
  "Saoirse",
  "Matteo",
  "Oona",
  "Ignatius"
]

const lastNames = [
  "Okonkwo",
  "Vantreese",
  "Halvorsen",
  "Quintanilla",
  "Ashgrove",
  "Marchetti",
  "Szabo",
  "Delacroix",
  "Nakashima",
  "Brightwater",
  "Oyelaran",
  "Castellanos",
  "Whitlock",
  "Pemberton",
  "Iwasaki",
  "Caldera",
  "Rasmussen",
  "Abernathy",
  "Villaseñor",
  "Kowalczyk",
  "Thistlewood",
  "Achterberg",
  "Montalbán",
  "Fairweather",
  "Oduya",
  "Lindqvist",
  "Barrientos",
  "Hargreave",
  "Tanabe",
  "Ferreira",
  "Gallowglass",
  "Mbeki-Stone",
  "Rourke",
  "Estévez",
  "Winterbourne",
  "Kaur",
  "Dunleavy",
  "Sørensen",
  "Palomares",
  "Ashby"
]

/** Names that exercise quoting and encodings in JSON and CSV. */
const awkwardNames = [
  'Rosalind "Roz" Okafor',
  "Bartholomew P. (Bart) Linwood",
  "Inés Solórzano-Vega",
  "J.T. O'Halloran",
  "Zoë Ångström Ruiz",
  'Dolores "Lola" Ibáñez, Jr.'
]

const inventedName = (seed: string, taken: ReadonlySet<string>): string => {
  for (let attempt = 0; ; attempt++) {
    const first = firstNames[Math.floor(unit(`${seed}/first/${attempt}`) * firstNames.length)]!
    const last = lastNames[Math.floor(unit(`${seed}/last/${attempt}`) * lastNames.length)]!
    const name = `${first} ${last}`
    if (!taken.has(name)) return name
  }
}

const candidates = (
  seed: string,
  parties: ReadonlyArray<string>,
  shares: ReadonlyArray<number>,
  awkward: ReadonlyArray<string> = []
): ReadonlyArray<Choice> => {
  const taken = new Set<string>(awkward)
  const total = shares.reduce((sum, share) => sum + share, 0)
  return shares.map((share, i) => {
    const name = awkward[i] ?? inventedName(`${seed}/${i}`, taken)
    taken.add(name)
    return {
      name,
      party: parties[i % parties.length]!,
      incumbent: i === 0 && unit(`${seed}/inc`) < 0.6,
      share: share / total
    }
  })
}

type RaceSlug = keyof typeof ContestId.RaceType

const idCode = (parts: Partial<ContestId.ContestId> & { readonly raceType: ContestId.RaceType }) =>
  ContestId.format(ContestId.make(parts)).slice(0, 12)

const allCounties = ContestId.counties

const statewide = {
  precincts: 24_937,
  finalReporting: 1,
  counties: allCounties,
  yesNo: []
} as const

const office = (slug: string, title: string, ballots: number, choices: ReadonlyArray<Choice>): Contest => {
  const raceType = Object.hasOwn(ContestId.RaceType, slug) ? ContestId.RaceType[slug as RaceSlug] : undefined
  return {
    ...statewide,
    code: raceType === undefined ? undefined : idCode({ raceType }),
    path: `/returns/${slug}`,
    title: `${title} - Statewide Results`,
    list: "candidates",
    ballots,
    choices
  }
}

// A top-two primary field: a few front-runners and a long tail, some of whom round to 0.0%.
const governorShares = Array.from({ length: 61 }, (_, i) =>
  i < 4 ? [0.231, 0.198, 0.117, 0.086][i]! : 0.05 * 0.86 ** i
)

const statewideOffices: ReadonlyArray<Contest> = [
  office(
    "governor",
    "Governor",
    10_912_406,
    candidates("governor", ["Dem", "Rep", "Dem", "NPP", "Rep", "Grn", "Lib", "P&F", "AI"], governorShares, awkwardNames)
  ),
  ...(
    [
      [
        "president",
        "President",
        11_204_117,
        ["Dem", "Rep", "AI", "Grn", "Lib", "P&F"],
        [0.58, 0.37, 0.012, 0.017, 0.015, 0.006]
      ],
      ["us-senate", "U.S. Senate (Full Term)", 10_655_120, ["Dem", "Rep"], [0.61, 0.39]],
      ["us-senate-unexpired-term", "U.S. Senate (Partial/Unexpired Term)", 10_401_955, ["Dem", "Rep"], [0.6, 0.4]],
      ["lieutenant-governor", "Lieutenant Governor", 10_488_311, ["Dem", "Dem"], [0.503, 0.497]],
      ["secretary-of-state", "Secretary of State", 10_377_082, ["Dem", "Rep"], [0.592, 0.408]],
      ["controller", "Controller", 10_290_654, ["Rep", "Dem"], [0.455, 0.545]],
      ["treasurer", "Treasurer", 10_233_870, ["Dem", "Rep"], [0.574, 0.426]],
      ["attorney-general", "Attorney General", 10_351_209, ["Dem", "Rep"], [0.567, 0.433]],
      ["insurance-commissioner", "Insurance Commissioner", 10_120_733, ["Dem", "Rep"], [0.551, 0.449]],
      [
        "superintendent-of-public-instruction",
        "Superintendent of Public Instruction",
        9_655_028,
        ["Non"],
        [0.478, 0.522]
      ]
    ] as const
  ).map(([slug, title, ballots, parties, shares]) => office(slug, title, ballots, candidates(slug, parties, shares)))
]

const primaryFields: Record<string, readonly [ReadonlyArray<number>, string, number]> = {
  democratic: [[0.41, 0.22, 0.14, 0.09, 0.06, 0.04, 0.025, 0.015], "Dem", 5_120_448],
  republican: [[0.52, 0.19, 0.12, 0.09, 0.05, 0.03], "Rep", 2_407_913],
  "american-independent": [[0.34, 0.27, 0.18, 0.12, 0.09], "AI", 61_207],
  green: [[0.48, 0.33, 0.19], "Grn", 18_554],
  libertarian: [[0.39, 0.31, 0.2, 0.1], "Lib", 27_390],
  "peace-and-freedom": [[0.56, 0.44], "P&F", 6_012]
}

const primaries: ReadonlyArray<Contest> = ContestId.parties.map((party) => {
  const [shares, code, ballots] = primaryFields[party.slug]!
  return {
    ...statewide,
    code: idCode({ raceType: ContestId.RaceType.president, party: party.code }),
    path: `/returns/president/party/${party.slug}`,
    title: `President ${party.name} - Statewide Results`,
    list: "candidates",
    ballots,
    choices: candidates(`primary/${party.slug}`, [code], shares)
  }
})

const measures: Contest = {
  ...statewide,
  code: idCode({ raceType: ContestId.RaceType["ballot-measures"] }),
  path: "/returns/ballot-measures",
  title: "Ballot Measures - Statewide Results",
  list: "ballot-measures",
  ballots: 10_512_330,
  choices: [],
  yesNo: [
    { number: "01", name: "Authorizes Bonds for Coastal Wetland Restoration", yes: 0.612 },
    { number: "02", name: 'Creates "Clean Rivers" Fund, $8 Billion, Without New Taxes', yes: 0.483 },
    { number: "03", name: "Lowers Voting Age for School Board Elections (Local Option)", yes: 0.391 },
    { number: "17", name: "Requires Disclosure of Ride-Share Pricing Algorithms", yes: 0.712 },
    { number: "18", name: "Expands Rent Relief for Seniors; Raises Cap to 3%", yes: 0.502 },
    { number: "35", name: "Designates the Banana Slug State Invertebrate (Ceremonial)", yes: 0.844 }
  ]
}

const justices = (seed: string, count: number): ReadonlyArray<YesNo> => {
  const taken = new Set<string>()
  return Array.from({ length: count }, (_, i) => {
    const name = inventedName(`${seed}/${i}`, taken)
    taken.add(name)
    return { name, number: undefined, yes: 0.62 + 0.2 * unit(`${seed}/yes/${i}`) }
  })
}

const supremeCourt: Contest = {
  ...statewide,
  code: idCode({ raceType: ContestId.RaceType["supreme-court"] }),
  path: "/returns/supreme-court",
  title: "Supreme Court Justice - Statewide Results",
  list: "supreme-court",
  ballots: 8_914_772,
  choices: [],
  yesNo: justices("supreme-court", 3)
}

const slice = <A>(items: ReadonlyArray<A>, parts: number, index: number) =>
  items.slice(Math.floor((items.length * index) / parts), Math.floor((items.length * (index + 1)) / parts))

interface DistrictPlan {
  /** The office's slug. */
  readonly office: RaceSlug
  readonly title: string
  readonly districts: ReadonlyArray<number>
  readonly precincts: readonly [number, number]
  /** Counties of the `index`-th of the office's districts. */
  readonly counties: (district: number, index: number) => ReadonlyArray<ContestId.County>
}

const fewCounties = (seed: string) => {
  const start = Math.floor(unit(seed) * allCounties.length)
  const count = 1 + Math.floor(unit(`${seed}/n`) * 3)
  return Array.from({ length: count }, (_, i) => allCounties[(start + i) % allCounties.length]!)
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step)

const districtPlans: ReadonlyArray<DistrictPlan> = [
  {
    office: "us-rep",
    title: "U.S. House of Representatives",
    districts: range(1, 52),
    precincts: [380, 950],
    counties: (d) => fewCounties(`us-rep/${d}`)
  },
  {
    office: "state-senate",
    title: "State Senate",
    districts: range(2, 40, 2),
    precincts: [900, 1_500],
    counties: (d) => fewCounties(`state-senate/${d}`)
  },
  {
    office: "state-assembly",
    title: "State Assembly",
    districts: range(1, 80),
    precincts: [250, 650],
    counties: (d) => fewCounties(`state-assembly/${d}`)
  },
  {
    office: "board-of-equalization",
    title: "Board of Equalization",
    districts: range(1, 4),
    precincts: [5_500, 7_500],
    counties: (_, i) => slice(allCounties, 4, i)
  },
  {
    office: "courts-of-appeal",
    title: "Courts of Appeal",
    districts: range(1, 6),
    precincts: [3_000, 8_000],
    counties: (_, i) => slice(allCounties, 6, i)
  }
]

/** Districts that show a quirk of the real API on purpose. */
const quirks = {
  /** Stays below 100% reporting to the end. */
  neverFinal: new Set(["us-rep/7", "state-assembly/41"]),
  /** One candidate, who gets 100.0%. */
  unopposed: new Set(["state-assembly/12", "state-senate/30"]),
  /** Two candidates of the same party (top two). */
  sameParty: new Set(["state-assembly/3", "state-assembly/9", "state-assembly/27", "us-rep/44"]),
  /** A name with quotes, in a district. */
  awkward: new Map([["state-assembly/5", ['Jerome "Jerry" Castellanos-Whitlock']]])
}

const districtContest = (plan: DistrictPlan, district: number, index: number): Contest => {
  const seed = `${plan.office}/${district}`
  const list: ListKey = plan.office === "courts-of-appeal" ? plan.office : "candidates"
  const [low, high] = plan.precincts
  const precincts = Math.round(low + (high - low) * unit(`${seed}/precincts`))
  const common = {
    code: idCode({ raceType: ContestId.RaceType[plan.office], district }),
    path: `/returns/${plan.office}/district/${district}`,
    title: `${plan.title} District ${district} - Districtwide Results`,
    list,
    precincts,
    ballots: Math.round(precincts * (380 + 120 * unit(`${seed}/turnout`))),
    finalReporting: quirks.neverFinal.has(seed) ? 0.961 : 1,
    counties: plan.counties(district, index)
  }
  if (list !== "candidates") {
    return { ...common, choices: [], yesNo: justices(seed, 2 + Math.floor(unit(`${seed}/justices`) * 4)) }
  }
  const lead = 0.5 + (unit(`${seed}/lead`) - 0.5) * 0.5
  const parties = quirks.sameParty.has(seed)
    ? [unit(`${seed}/party`) < 0.7 ? "Dem" : "Rep"]
    : unit(`${seed}/party`) < 0.15
      ? ["Dem", "NPP"]
      : unit(`${seed}/order`) < 0.5
        ? ["Dem", "Rep"]
        : ["Rep", "Dem"]
  const shares = quirks.unopposed.has(seed) ? [1] : [lead, 1 - lead]
  return { ...common, choices: candidates(seed, parties, shares, quirks.awkward.get(seed)), yesNo: [] }
}

const districts: ReadonlyArray<Contest> = districtPlans.flatMap((plan) =>
  plan.districts.map((district, index) => districtContest(plan, district, index))
)

/**
 * Every contest of the built-in election.
 *
 * @since 0.1.0
 * @category data
 */
export const contests: ReadonlyArray<Contest> = [
  ...statewideOffices,
  ...primaries,
  measures,
  supremeCourt,
  ...districts
]

/**
 * Each county's share of a contest's votes and precincts, before the shares of the contest's counties
 * are scaled to add up to 1.
 *
 * @since 0.1.0
 * @category data
 */
export const countyWeight = (county: ContestId.County): number => 0.2 + 2.8 * unit(`weight/${county.slug}`)

/**
 * Registered voters of each county.
 *
 * @since 0.1.0
 * @category data
 */
export const registeredVoters = (county: ContestId.County): number => Math.round(countyWeight(county) * 170_000)
