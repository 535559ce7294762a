/**
 * @electfeed/ballotpedia: Ballotpedia's bulk-data API as an electfeed source.
 *
 * @since 0.1.0
 */

/**
 * The source: one `bulk` stream per dataset, named `dataset:<id>`.
 *
 * @since 0.1.0
 * @category source
 */
export { source } from "./Ballotpedia.ts"
/**
 * The Candidates dataset: the mapping of its rows to `Candidate`.
 *
 * @since 0.1.0
 */
export * as Candidate from "./Candidate.ts"
/**
 * The config schema of the source (a plain-string `apiKey` decodes to `Redacted`), and its type.
 *
 * @since 0.1.0
 * @category config
 */
export { Config } from "./Config.ts"
