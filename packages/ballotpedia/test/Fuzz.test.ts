/**
 * Every kind of dataset file, JSON and CSV, against mutated copies: each ends in events and skipped rows,
 * or a typed `SourceError`, never a defect or a hang. The seed is fixed, so a failure here is the same
 * every run.
 */
import { FuzzSuite } from "@electfeed/core/testing/vitest"
import { targets } from "./FuzzTargets.ts"

FuzzSuite.suite(targets, { bodies: 1_000 })
