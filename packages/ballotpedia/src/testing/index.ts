/**
 * Test support: a simulator of Ballotpedia's bulk-data API and its file host, and the deterministic
 * datasets it serves.
 *
 * @since 0.1.0
 */

/**
 * The 47 columns of the Candidates file, in its order.
 *
 * @since 0.2.0
 */
export * as CandidateColumns from "./CandidateColumns.ts"
/**
 * Deterministic datasets (Candidates with the file's 47 columns, endorsements, ballot measures) and
 * their JSON and CSV files, generated as they are read.
 *
 * @since 0.1.0
 */
export * as Generator from "./Generator.ts"
/**
 * The rows of a generated Candidates dataset.
 *
 * @since 0.1.0
 * @category generators
 */
export { candidateRows } from "./Generator.ts"
/**
 * The API and file-host simulator.
 *
 * @since 0.1.0
 */
export * as Simulator from "./Simulator.ts"
/**
 * Starts the simulator (scoped).
 *
 * @since 0.1.0
 * @category constructors
 */
export { serve } from "./Simulator.ts"
