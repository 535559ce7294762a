/**
 * A statewide precinct-level `detailxml.zip` of about `megabytes` MB of XML, in the real shape (the
 * simulator's renderer and zipper), written to `file` as it is produced: nothing of its size is held.
 */
import * as fs from "node:fs"
import * as Testing from "../src/testing/index.ts"

// Bytes of detail.xml per precinct per contest, with 3 choices and 4 vote types: measured, roughly.
const perPrecinctContest = 1_000
const precinctsPerCounty = 17
const counties = 159

export const generate = (file: string, megabytes: number): { readonly units: number; readonly contests: number } => {
  const precincts = counties * precinctsPerCounty
  const contests = Math.max(1, Math.round((megabytes * 1e6) / (precincts * perPrecinctContest)))
  const election: Testing.Election.Election = {
    ...Testing.Election.election,
    counties: Array.from({ length: counties }, (_, c) => ({
      name: `County ${c + 1}`,
      precincts: Array.from({ length: precinctsPerCounty }, (_, p) => ({
        name: `Precinct ${String(p + 1).padStart(2, "0")} of County ${c + 1}`,
        voters: 900 + ((c * 31 + p * 17) % 700)
      }))
    })),
    contests: Array.from({ length: contests }, (_, k) => ({
      key: String(k + 1),
      text: k % 9 === 8 ? `Constitutional Amendment #${k + 1}` : `Contest ${k + 1} District ${k % 14}`,
      isQuestion: false,
      choices:
        k % 9 === 8
          ? [
              { key: `${k}-y`, text: "YES", party: "NP", weight: 55 },
              { key: `${k}-n`, text: "NO", party: "NP", weight: 45 }
            ]
          : [
              { key: `${k}-1`, text: `Candidate ${k}A (I) (Rep)`, party: "NP", weight: 50 },
              { key: `${k}-2`, text: `Candidate ${k}B (Dem)`, party: "NP", weight: 47 },
              { key: `${k}-3`, text: `Candidate ${k}C (Lib)`, party: "NP", weight: 3 }
            ]
    }))
  }
  const out = fs.openSync(file, "w")
  try {
    Testing.Zip.zipTo(
      "detail.xml",
      Testing.Render.detailXml(election, Testing.Election.night.at(-1)!, { units: "Precinct" }),
      (piece) => fs.writeSync(out, piece)
    )
  } finally {
    fs.closeSync(out)
  }
  return { units: precincts, contests }
}
