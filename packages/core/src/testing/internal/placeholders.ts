import { type Duration, Effect, Schema } from "effect"
import * as Feed from "../../Feed.ts"
import type * as Source from "../../Source.ts"
import type { SuiteOptions } from "../Conformance.ts"
import { expect, expectEqual } from "./expect.ts"
import { type CaseSpec, type Read, withVirtualTime } from "./harness.ts"

/** The connector template's placeholder state. */
const placeholderState = "XX"

const todo = /\bTODO\b/

/** The placeholders left in a source: what it says of itself, its config's defaults, and what it emits. */
const placeholdersOf = (
  source: Source.Any,
  defaults: unknown,
  items: ReadonlyArray<Source.ReadItem>
): Array<string> => {
  const texts: Array<readonly [string, string]> = [
    ["id", source.id],
    ["connector", source.connector],
    ["description", source.description],
    ["the config's defaults", Feed.stableJson(defaults)]
  ]
  const found = texts.flatMap(([where, text]) => (todo.test(text) ? [`TODO in ${where}: ${text}`] : []))
  for (const item of items) {
    if (item._tag !== "Event") continue
    const event = item.event
    if (todo.test(Feed.stableJson(event))) found.push(`TODO in the event ${event.key}`)
    const data = event.data as { readonly jurisdiction?: { readonly state?: unknown } }
    if (data.jurisdiction?.state === placeholderState) found.push(`the placeholder state XX in the event ${event.key}`)
  }
  return found
}

/**
 * The placeholder case of the conformance suite: a connector generated from the template cannot pass
 * while a `TODO` or the state `XX` is left in it. For the template itself, the case is that they are found.
 */
export const placeholderCase = <Config>(
  options: SuiteOptions<Config>,
  read: Read<Config>,
  step: Duration.Input
): CaseSpec => {
  const { source } = options
  const title = options.template
    ? "the template's placeholders (TODO, the state XX) are found"
    : "no placeholder is left: no TODO, not the state XX"
  return {
    name: title,
    group: "standard",
    body: Effect.gen(function* () {
      const sim = yield* options.simulator
      const defaults =
        options.minimalConfig === undefined
          ? undefined
          : yield* Schema.decodeUnknownEffect(source.configSchema)(options.minimalConfig)
      const items = yield* withVirtualTime(read(options.config(sim.url)), step)
      const found = placeholdersOf(source, defaults, items)
      if (options.template) {
        yield* expect(
          found.some((line) => line.startsWith("TODO")) && found.some((line) => line.includes("XX")),
          `the template's placeholders were not all found: ${found.join("; ")}`
        )
      } else {
        yield* expectEqual(found, [], "placeholders are left")
      }
    })
  }
}
