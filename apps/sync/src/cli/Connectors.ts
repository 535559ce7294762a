/**
 * What `sources`, `simulate` and `init` do (declared in `cli/Commands.ts`): loaded when one of them runs.
 * None of them opens the store.
 *
 * @internal
 */
import * as fs from "node:fs"
import { Effect, Option } from "effect"
import * as Init from "../Init.ts"
import * as Plugins from "../Plugins.ts"
import * as Simulate from "../Simulate.ts"
import * as SourceList from "../SourceList.ts"
import { builtin } from "../Sources.ts"
import * as Stdout from "../Stdout.ts"
import type * as Commands from "./Commands.ts"
import type { FlagsOf } from "./Shared.ts"

/** @internal */
export const sources = Effect.fn("Cli.sources")(function* ({ config }: FlagsOf<typeof Commands.sources>) {
  const file = Option.getOrElse(config, () => "electfeed.yaml")
  const plugins = Option.isSome(config) || fs.existsSync(file) ? yield* SourceList.configured(file) : []
  for (const { installed, name } of [...builtin.map((b) => ({ installed: b, name: b.source.id })), ...plugins]) {
    yield* Stdout.lines(...(yield* SourceList.describe(installed, name)))
  }
})

/** @internal */
export const simulate = Effect.fn("Cli.simulate")(function* ({
  every,
  port,
  source,
  timeline
}: FlagsOf<typeof Commands.simulate>) {
  const installed = yield* Plugins.resolve(source, [process.cwd()])
  return yield* Simulate.run(installed, { port, timeline, every })
})

/** @internal */
export const init = Effect.fn("Cli.init")(function* ({ output, use }: FlagsOf<typeof Commands.init>) {
  const plugins = yield* Effect.forEach(use, (name) => Plugins.resolve(name, [process.cwd()]))
  yield* Init.write(
    output,
    Init.configText([...builtin, ...plugins], (i) => builtin.includes(i))
  )
  yield* Effect.logInfo(`wrote ${output}: edit its sources, then run electfeed sync --config ${output}`)
})
