/**
 * Core's decoders against mutated bodies, a thousand each: every body ends in success or a typed
 * `SourceError`, never a defect or a hang. The seed is fixed, so a failure here is the same every run.
 */
import { FuzzSuite } from "../src/testing/vitest/index.ts"
import { targets } from "./FuzzTargets.ts"

FuzzSuite.suite(targets, { bodies: 1_000 })
