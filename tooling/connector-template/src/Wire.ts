/**
 * The API's endpoints, and the bodies they send as they send them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpClientRequest } from "effect/http"

/**
 * Every contest's results.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const results = HttpClientRequest.get("/v1/results")

/**
 * One choice on the ballot.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Candidate = Schema.Struct({
  name: Schema.String,
  party: Schema.NullOr(Schema.String),
  votes: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  incumbent: Schema.Boolean
})

/**
 * One contest.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contest = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  district: Schema.NullOr(Schema.String),
  precincts: Schema.Struct({ reporting: Schema.Int, total: Schema.Int }),
  candidates: Schema.Array(Candidate)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Contest = typeof Contest.Type

/**
 * The body of {@link results}: every contest, and when the results were last updated (ISO-8601 with offset).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Results = Schema.Struct({
  updated: Schema.String,
  contests: Schema.Array(Contest)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Results = typeof Results.Type
