/**
 * The Candidates dataset: the columns of its 47 that the feed's `Candidate` is made of, and their mapping.
 *
 * A row is a person's candidacy in one stage of one race; its key is
 * `candidate/<candidate_id>/<stage_id>`, with `/round/<n>` added when `ranked_choice_voting_round` is
 * set (a ranked-choice stage has a row per round).
 *
 * @since 0.1.0
 */
import { Decoding } from "@electfeed/core"
import { Effect, Schema } from "effect"
import * as Cells from "./Cells.ts"
import type { Mapping } from "./Mapping.ts"

// The columns the feed's Candidate is made of, in the file's order so that the first bad one is reported.
const CandidateRow = Schema.Struct({
  state: Cells.Required,
  office_id: Cells.Text,
  office_name: Cells.Text,
  office_level: Cells.Text,
  office_branch: Cells.Text,
  district_id: Cells.Text,
  district_ocdid: Cells.Text,
  district_name: Cells.Text,
  district_type: Cells.Text,
  race_id: Cells.Text,
  race_type: Cells.Text,
  race_url: Cells.Text,
  election_date: Cells.Day,
  stage_id: Cells.Key,
  stage: Cells.Text,
  stage_party: Cells.Text,
  candidate_id: Cells.Key,
  person_id: Cells.Required,
  name: Cells.Verbatim,
  first_name: Cells.Verbatim,
  last_name: Cells.Verbatim,
  ballotpedia_url: Cells.Text,
  party_affiliation: Cells.Text,
  is_incumbent: Cells.Flag,
  candidate_status: Cells.Verbatim,
  is_write_in: Cells.Flag,
  votes_for: Cells.Count,
  ranked_choice_voting_round: Cells.Count
})

/**
 * Candidates rows as `Candidate` entities.
 *
 * | column | field |
 * |---|---|
 * | `candidate_id`, `person_id` | `candidateId`, `personId` (required) |
 * | `name`, `first_name`, `last_name` | `name`, `firstName`, `lastName` (`""` kept) |
 * | `party_affiliation` | `party` |
 * | `state` | `state` (required) |
 * | `office_id`, `office_name`, `office_level`, `office_branch` | `office.{id,name,level,branch}` |
 * | `district_id`, `district_name`, `district_type`, `district_ocdid` | `district.{id,name,type,ocdId}` |
 * | `race_id`, `race_type`, `race_url` | `race.{id,type,url}` |
 * | `election_date`, `stage`, `stage_party` | `election.{date,stage,stageParty}` |
 * | `candidate_status` | `status` |
 * | `is_incumbent`, `is_write_in` | `incumbent`, `writeIn` (`"true"`/`"false"`, `""` as null) |
 * | `votes_for` | `votesFor` (digits, `""` as null) |
 * | `ballotpedia_url` | `ballotpediaUrl` |
 *
 * Other empty cells become null.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mapping: Mapping<"Candidate"> = {
  kind: "Candidate",
  key: "candidate/<candidate_id>/<stage_id>, then /round/<ranked_choice_voting_round> when set",
  keyPrefix: () => "candidate",
  decode: (row, context) =>
    Effect.mapEager(Decoding.decodeRow(CandidateRow, row, context), (r) => {
      const round = r.ranked_choice_voting_round
      return {
        key: [r.candidate_id, r.stage_id, ...(round === null ? [] : ["round", String(round)])],
        data: {
          candidateId: r.candidate_id,
          personId: r.person_id,
          name: r.name,
          firstName: r.first_name,
          lastName: r.last_name,
          party: r.party_affiliation,
          state: r.state,
          office: { id: r.office_id, name: r.office_name, level: r.office_level, branch: r.office_branch },
          district: { id: r.district_id, name: r.district_name, type: r.district_type, ocdId: r.district_ocdid },
          race: { id: r.race_id, type: r.race_type, url: r.race_url },
          election: { date: r.election_date, stage: r.stage, stageParty: r.stage_party },
          status: r.candidate_status,
          incumbent: r.is_incumbent,
          writeIn: r.is_write_in,
          votesFor: r.votes_for,
          ballotpediaUrl: r.ballotpedia_url
        }
      }
    })
}
