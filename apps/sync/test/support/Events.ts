/** Feed events for store and engine tests. */
import { Feed } from "@electfeed/core"
import { DateTime } from "effect"

export const contest = (key: string, votes: ReadonlyArray<number>, reporting: number, at = 0) =>
  Feed.makeEvent({
    source: "ca-sos",
    stream: "contests",
    kind: "ContestResult",
    key,
    observedAt: DateTime.makeUnsafe(Date.UTC(2024, 10, 6, 4, 0, 0) + at * 60_000),
    provenance: {
      url: "https://api.sos.ca.gov/returns/governor",
      sha256: "ab".repeat(32),
      connector: "@electfeed/ca-sos@0.1.0"
    },
    data: {
      contestId: key,
      title: `Contest ${key}`,
      office: "Governor",
      contestKind: "candidate",
      jurisdiction: { state: "CA", county: null, district: null },
      party: null,
      reporting: { precinctsReporting: reporting, precinctsTotal: 100, percent: reporting },
      updatedAt: "2024-11-05T20:00:00-08:00",
      selections: votes.map((v, i) => ({
        name: `Candidate ${i}`,
        party: "Dem",
        partyCode: "DEM",
        votes: v,
        percent: 0,
        incumbent: false
      }))
    }
  })
