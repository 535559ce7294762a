/**
 * The conformance kit under vitest: {@link suite} declares the standard cases of a connector as tests,
 * one call in its test file. Everything of `@electfeed/core/testing`'s `Conformance` is here too.
 *
 * ```ts
 * import { Conformance } from "@electfeed/core/testing/vitest"
 * Conformance.suite({ source, simulator: MySimulator.serve(), config: (url) => ({ baseUrl: url }) })
 * ```
 *
 * @since 0.2.0
 */
import { describe, it } from "@effect/vitest"
import * as Conformance from "../Conformance.ts"

/**
 * @since 0.2.0
 */
export * from "../Conformance.ts"

/**
 * Declares the cases of `Conformance.cases` as vitest tests: `<id> conformance` for the standard ones,
 * `<id> against hostile servers` for the others. A case known to fail (`knownGaps`) passes while it fails.
 *
 * @since 0.1.0
 * @category testing
 */
export const suite = <Config>(options: Conformance.SuiteOptions<Config>): void => {
  const cases = Conformance.cases(options)
  const group = (title: string, which: Conformance.Case["group"]) =>
    describe(title, () => {
      for (const each of cases) if (each.group === which) it.effect(each.name, () => each.run)
    })
  group(`${options.source.id} conformance`, "standard")
  group(`${options.source.id} against hostile servers`, "hostile")
}
