/**
 * The simulator's built-in results: invented, in the API's real shape.
 *
 * @since 0.1.0
 */
import type { Results } from "../Wire.ts"

/**
 * @since 0.1.0
 * @category data
 */
export const results: Results = {
  updated: "2026-11-03T21:15:00-05:00",
  contests: [
    {
      id: "gov",
      name: "Governor",
      district: null,
      precincts: { reporting: 412, total: 1200 },
      candidates: [
        { name: "Ana Ruiz", party: "DEM", votes: 182_044, incumbent: false },
        { name: 'Bo "Bobby" Chen', party: "REP", votes: 176_390, incumbent: true },
        { name: "Zoë Ångström", party: null, votes: 9_017, incumbent: false }
      ]
    },
    {
      id: "house-3",
      name: "U.S. House District 3",
      district: "3",
      precincts: { reporting: 88, total: 240 },
      candidates: [{ name: "Dolores Ibáñez", party: "DEM", votes: 40_211, incumbent: true }]
    }
  ]
}
