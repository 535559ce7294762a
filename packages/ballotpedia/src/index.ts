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
 * The Candidates dataset: its 47 columns and their mapping to `Candidate`.
 *
 * @since 0.1.0
 */
export * as Candidate from "./Candidate.ts"
/**
 * The checkpoint state of a dataset stream.
 *
 * @since 0.1.0
 */
export * as Checkpoint from "./Checkpoint.ts"
/**
 * The config schema of the source (a plain-string `apiKey` decodes to `Redacted`), and its type.
 *
 * @since 0.1.0
 * @category config
 */
export { Config } from "./Config.ts"
