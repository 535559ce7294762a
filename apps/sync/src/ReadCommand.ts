/**
 * `electfeed read <id>`, made from what a source says of itself: its description, its config keys (from
 * its config schema) and the flags it declares, plus `--base-url`, `--set key=value` and `--config-json`
 * for every source. What it does (`Read.ts`) is loaded when it runs.
 *
 * @since 0.2.0
 */
import type { Source } from "@electfeed/core"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as ConfigKeys from "./ConfigKeys.ts"
import { handler } from "./cli/Shared.ts"
import type { LogFormat } from "./Output.ts"
import * as ReadOutput from "./ReadOutput.ts"
import type { Installed } from "./Sources.ts"

/** A declared flag as `effect/cli` parses it: every value given, in order. */
const cliFlag = (flag: Source.CliFlag, key: ConfigKeys.ConfigKey | undefined, repeatable: boolean) => {
  const base =
    key?.choices !== undefined && key.choices.length > 0
      ? Flag.Literals(flag.name, key.choices)
      : Flag.String(flag.name)
  const described = base.pipe(
    Flag.withMetavar(flag.metavar ?? (key?.choices ?? ["VALUE"]).join("|")),
    Flag.withDescription(`${flag.description} (${repeatable ? "repeatable; " : ""}config key ${flag.key})`)
  )
  return repeatable
    ? Flag.atLeast(described, 0)
    : described.pipe(
        Flag.optional,
        Flag.map((value): ReadonlyArray<string> => Option.toArray(value))
      )
}

/** The config keys for `read <id> --help`. */
const keysText = (source: Source.Any, keys: ReadonlyArray<ConfigKeys.ConfigKey>) =>
  keys
    .map((key) => {
      const secret = source.secrets[key.name]
      const notes = [
        key.type,
        secret !== undefined ? `secret, from the environment variable ${secret}` : key.required ? "required" : "",
        key.description ?? ""
      ].filter((note) => note !== "")
      return `    ${key.name}: ${notes.join("; ")}`
    })
    .join("\n")

/**
 * The `read` subcommand of one source, under `name`: its id, or the package name it was asked by.
 *
 * @since 0.2.0
 * @category commands
 */
export const make = (name: string, installed: Installed) => {
  const { source } = installed
  const keys = ConfigKeys.of(source)
  const declared = source.flags.map((flag) => {
    const key = keys.find((k) => k.name === flag.key)
    const repeatable = flag.repeatable ?? key?.list ?? false
    return { flag, repeatable, parse: cliFlag(flag, key, repeatable) }
  })
  const hasBaseUrl = keys.some((key) => key.name === "baseUrl")
  const flags = {
    baseUrl: Flag.String("base-url").pipe(
      Flag.withMetavar("URL"),
      Flag.withDescription("The API's base URL (config key baseUrl); point it at a simulator or a mirror"),
      // A source without the key gets the flag hidden, and an error naming the key if it is given.
      hasBaseUrl ? (flag) => flag : Flag.withHidden,
      Flag.optional
    ),
    declared: Object.fromEntries(declared.map(({ flag, parse }) => [flag.name, parse])),
    set: Flag.KeyValuePair("set").pipe(
      Flag.withMetavar("KEY=VALUE"),
      Flag.withDescription(
        "Sets one config key (repeatable): text for a text key, JSON for others, e.g. --set 'datasets=[\"1098\"]'"
      ),
      Flag.optional
    ),
    output: Flag.Literals("output", ReadOutput.Output.literals).pipe(
      Flag.withMetavar("ndjson|csv|table"),
      Flag.withDescription(
        "What is printed: ndjson, an event per line as it arrives (default); csv or table, once the read ends, its contests summed up as `electfeed results` shows them and other events as rows of their fields. A source's own --format flag is the format asked of the API, not this"
      ),
      Flag.withDefault("ndjson" as const)
    ),
    configJson: Flag.String("config-json").pipe(
      Flag.withMetavar("JSON"),
      Flag.withDescription("The config as a JSON object, which the other flags add to"),
      Flag.optional
    )
  }
  return Command.make(
    name,
    flags,
    handler(() =>
      import("./Read.ts").then(
        (Read) => (input: Command.Command.Config.Infer<typeof flags>, format: LogFormat) =>
          Effect.flatMap(
            Read.rawConfig(
              source,
              keys,
              {
                configJson: input.configJson,
                set: Option.getOrElse(input.set, () => ({})),
                flags: [
                  { flag: "base-url", key: "baseUrl", repeatable: false, values: Option.toArray(input.baseUrl) },
                  ...declared.map(({ flag, repeatable }) => ({
                    flag: flag.name,
                    key: flag.key,
                    repeatable,
                    values: input.declared[flag.name] ?? []
                  }))
                ].filter((given) => given.values.length > 0)
              },
              process.env
            ),
            (raw) => Read.readToStdout(source, raw, format, input.output)
          )
      )
    )
  ).pipe(
    Command.withDescription(
      [
        `${source.description.replace(/\.?$/, ".")} Prints one event per line (NDJSON), or a table or CSV with --output. Source ${source.id}, from ${source.connector}.`,
        "",
        "  Its config keys, set by the flags below, --set KEY=VALUE or --config-json:",
        keysText(source, keys)
      ].join("\n")
    )
  )
}
