/**
 * The columns of Ballotpedia's Candidates file (47), as the generator writes them; the source reads them
 * by name (see `Candidate.ts`).
 *
 * @since 0.2.0
 */

/**
 * The columns of the Candidates file, in the file's order.
 *
 * @since 0.2.0
 * @category columns
 */
export const columns = [
  "election_year",
  "state",
  "office_id",
  "office_name",
  "office_level",
  "office_branch",
  "district_id",
  "district_ocdid",
  "district_name",
  "district_type",
  "parent_district_id",
  "parent_district_name",
  "race_id",
  "race_type",
  "seats_up_for_election",
  "race_url",
  "election_date_id",
  "election_date",
  "election_date_district_type",
  "stage_id",
  "stage",
  "stage_party",
  "is_partisan_primary",
  "stage_is_canceled",
  "stage_is_ranked_choice",
  "stage_write_in_other_votes",
  "candidate_id",
  "person_id",
  "name",
  "first_name",
  "last_name",
  "ballotpedia_url",
  "gender",
  "party_affiliation",
  "is_incumbent",
  "candidate_status",
  "is_write_in",
  "is_withdrawn_still_on_ballot",
  "votes_for",
  "votes_against",
  "delegates_pledged",
  "ranked_choice_voting_round",
  "campaign_email",
  "other_email",
  "campaign_website",
  "personal_website",
  "campaign_phone"
] as const

/**
 * @since 0.2.0
 * @category columns
 */
export type Column = (typeof columns)[number]

/**
 * A row of the Candidates file as it is written: every cell text.
 *
 * @since 0.2.0
 * @category models
 */
export type Row = Readonly<Record<Column, string>>
