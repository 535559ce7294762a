/**
 * Party codes: one table that turns the party words sources write into one code per party, so that CA
 * SOS `Dem`, another source's `DEM` and a third's `Democratic Party` read as one party (feed model 1.1,
 * `selections[].partyCode`). A selection keeps the source's word in `party`.
 *
 * | code  | party                   | words read as it (any case, an optional trailing `Party`)             |
 * | ----- | ----------------------- | --------------------------------------------------------------------- |
 * | `DEM` | Democratic              | `D`, `Dem`, `Democrat`, `Democratic`                                  |
 * | `REP` | Republican              | `R`, `Rep`, `GOP`, `Republican`                                       |
 * | `GRN` | Green                   | `Grn`, `Green`                                                        |
 * | `LIB` | Libertarian             | `Lib`, `Libertarian`                                                  |
 * | `PF`  | Peace and Freedom       | `P&F`, `PF`, `PFP`, `Peace and Freedom`, `Peace & Freedom`            |
 * | `AIP` | American Independent    | `AI`, `AIP`, `American Independent`                                   |
 * | `NPP` | no party preference     | `NPP`, `No Party Preference`, `No Party`, `DTS`, `Decline to State`   |
 * | `NON` | nonpartisan office      | `Non`, `Nonpartisan`, `Non-Partisan`                                  |
 * | `REF` | Reform                  | `Ref`, `Reform`                                                       |
 * | `CON` | Constitution            | `Con`, `Constitution`                                                 |
 * | `WF`  | Working Families        | `WF`, `WFP`, `Working Families`                                       |
 * | `IND` | Independent             | `Ind`, `Independent`                                                  |
 *
 * A word the table does not hold gives null, never a guess: a bare `I` (Independent or American
 * Independent?) and `NP` (no party, or nonpartisan?) are not in it, and neither is any party not listed. `NON` is for sources that write a word
 * for a nonpartisan office (CA SOS `Non`); a selection whose source writes no party at all gets null.
 *
 * @since 0.2.0
 */

/**
 * A party of the table, with the words sources write for it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Party {
  readonly code: string
  readonly name: string
  readonly words: ReadonlyArray<string>
}

/**
 * Every party the table knows, in the order of the module's documentation.
 *
 * @since 0.2.0
 * @category table
 */
export const table: ReadonlyArray<Party> = [
  { code: "DEM", name: "Democratic", words: ["D", "Dem", "Democrat", "Democratic"] },
  { code: "REP", name: "Republican", words: ["R", "Rep", "GOP", "Republican"] },
  { code: "GRN", name: "Green", words: ["Grn", "Green"] },
  { code: "LIB", name: "Libertarian", words: ["Lib", "Libertarian"] },
  { code: "PF", name: "Peace and Freedom", words: ["P&F", "PF", "PFP", "Peace and Freedom", "Peace & Freedom"] },
  { code: "AIP", name: "American Independent", words: ["AI", "AIP", "American Independent"] },
  {
    code: "NPP",
    name: "no party preference",
    words: ["NPP", "No Party Preference", "No Party", "DTS", "Decline to State"]
  },
  { code: "NON", name: "nonpartisan", words: ["Non", "Nonpartisan", "Non-Partisan"] },
  { code: "REF", name: "Reform", words: ["Ref", "Reform"] },
  { code: "CON", name: "Constitution", words: ["Con", "Constitution"] },
  { code: "WF", name: "Working Families", words: ["WF", "WFP", "Working Families"] },
  { code: "IND", name: "Independent", words: ["Ind", "Independent"] }
]

// Case, runs of whitespace and a trailing "Party" do not tell parties apart.
const normalize = (word: string): string =>
  word
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/ party$/, "")

const byWord: ReadonlyMap<string, string> = new Map(
  table.flatMap((party) => party.words.map((word): [string, string] => [normalize(word), party.code]))
)

/**
 * The code of the party a source writes as `word`, or null when the table does not know it (or there is
 * no word).
 *
 * @example
 * ```ts
 * import { Party } from "@electfeed/core"
 *
 * Party.code("Dem") // "DEM"
 * Party.code("Democratic Party") // "DEM"
 * Party.code("Whig") // null
 * ```
 *
 * @since 0.2.0
 * @category table
 */
export const code = (word: string | null | undefined): string | null =>
  word === null || word === undefined ? null : (byWord.get(normalize(word)) ?? null)
