import { assert, describe, it } from "@effect/vitest"
import { Party } from "../src/index.ts"

describe("Party", () => {
  it("reads each source's word for a party as one code", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["Dem", "DEM"],
      ["DEM", "DEM"],
      ["Democratic", "DEM"],
      ["Democratic Party", "DEM"],
      ["  democrat ", "DEM"],
      ["Rep", "REP"],
      ["GOP", "REP"],
      ["Republican  Party", "REP"],
      ["Grn", "GRN"],
      ["Lib", "LIB"],
      ["P&F", "PF"],
      ["Peace and Freedom", "PF"],
      ["AI", "AIP"],
      ["American Independent Party", "AIP"],
      ["NPP", "NPP"],
      ["No Party Preference", "NPP"],
      ["Non", "NON"],
      ["Nonpartisan", "NON"],
      ["Reform", "REF"],
      ["Constitution Party", "CON"],
      ["WFP", "WF"],
      ["Working Families", "WF"],
      ["Independent", "IND"]
    ]
    for (const [word, code] of cases) assert.strictEqual(Party.code(word), code, word)
  })

  it("gives null for what the table does not know, never a guess", () => {
    for (const word of ["", "  ", "I", "NP", "Whig", "Democratic-Republican", "Party", "Dem.", null, undefined]) {
      assert.isNull(Party.code(word), String(word))
    }
  })

  it("lists every code once, and every word under one code", () => {
    const codes = Party.table.map((party) => party.code)
    assert.strictEqual(new Set(codes).size, codes.length)
    for (const party of Party.table) {
      assert.strictEqual(Party.code(party.name), party.code, party.name)
      for (const word of party.words) assert.strictEqual(Party.code(word), party.code, word)
    }
  })
})
