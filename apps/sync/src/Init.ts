/**
 * `electfeed init`: a commented config file for the installed connectors, every source's settings
 * listed from its config schema, and the format `electfeed sync --help` shows.
 *
 * @since 0.2.0
 */
import * as fs from "node:fs"
import { Duration, Effect, Schema } from "effect"
import { defaults } from "./AppConfig.ts"
import * as ConfigKeys from "./ConfigKeys.ts"
import type { Installed } from "./Sources.ts"

/**
 * The config file cannot be written.
 *
 * @since 0.2.0
 * @category errors
 */
export class InitError extends Schema.TaggedError<InitError>()("InitError", {
  file: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot write ${this.file}: ${this.detail}`
  }
}

/** A duration as the config file takes it: "60 seconds", "24 hours". */
const durationText = (duration: Duration.Duration): string => {
  const millis = Duration.toMillis(duration)
  const units: ReadonlyArray<readonly [number, string]> = [
    [3_600_000, "hours"],
    [1000, "seconds"]
  ]
  const [size, unit] = units.find(([size]) => millis % size === 0) ?? [1, "millis"]
  return `${millis / size} ${unit}`
}

const sourceSection = ({ packageName, source }: Installed, builtin: boolean): ReadonlyArray<string> => {
  const secrets = Object.entries(source.secrets)
  const keys = ConfigKeys.of(source).filter((key) => source.secrets[key.name] === undefined)
  // A source that cannot be read without settings of its own (Clarity's site) is written commented out,
  // so that the file loads as it is.
  const required = keys.filter((key) => key.required).map((key) => key.name)
  const entry = [
    `  ${source.id}:`,
    ...(builtin ? [] : [`    use: ${JSON.stringify(packageName)}`]),
    `    every: ${durationText(source.every)}`,
    "    config: {}",
    ...keys.map((key) => `      # ${key.name}: ${key.type}${key.required ? " (required)" : ""}`)
  ]
  return [
    `  # ${source.description}`,
    ...(secrets.length > 0
      ? [
          `  # Secrets come from the environment: ${secrets.map(([key, variable]) => `${key} from ${variable}`).join(", ")}.`
        ]
      : []),
    ...(required.length === 0
      ? entry
      : [`  # Set ${required.join(" and ")}, then uncomment:`, ...entry.map((line) => `  #${line.slice(1)}`)])
  ]
}

/**
 * A commented config for `sources`: the store and downloads at their defaults, and each source with its
 * default cadence and its settings commented out (a required one must be set before the file is used).
 * `builtin` says which sources need no `use`.
 *
 * @since 0.2.0
 * @category config
 */
export const configText = (sources: ReadonlyArray<Installed>, builtin: (installed: Installed) => boolean): string =>
  [
    "# electfeed config (YAML). Durations read like 60 seconds or 24 hours.",
    "store:",
    `  url: ${defaults.store}`.padEnd(46) + "# or postgres://user@host:5432/db",
    "  # schema: electfeed                         # PostgreSQL schema (default public)",
    "  # connectTimeout: 10 seconds                # how long to wait for the database",
    "  # statementTimeout: 60 seconds",
    "  # leaseTtl: 30 seconds                      # a writer's hold on a source, renewed while it reads",
    "  # leaseWait: 5 minutes                      # how long to wait for a source another process writes",
    "  # changeRetention: 30 days                  # prune stored changes older than this (default: keep all)",
    `downloads: ${defaults.downloads}`.padEnd(46) + "# where bulk files are downloaded",
    "# rateLimit: { store: redis://127.0.0.1:6379 }  # share sources' rate limits between processes",
    "# cluster: { lockExpiration: 10 seconds }       # how `poll --runner` runners coordinate",
    "# Each source: a built-in id or any name with `use:` (a built-in id, an installed package such as",
    '# "@acme/electfeed-georgia", or a connector of the workspace), `every` (how often `poll` reads it)',
    "# and `config` (its settings; `electfeed read <id> --help` lists them).",
    "sources:",
    ...sources.flatMap((installed) => sourceSection(installed, builtin(installed))),
    ""
  ].join("\n")

/**
 * Writes `text` to `file`, refusing to replace a file that exists.
 *
 * @since 0.2.0
 * @category config
 */
export const write = Effect.fn("Init.write")(function* (file: string, text: string) {
  yield* Effect.try({
    try: () => fs.writeFileSync(file, text, { flag: "wx" }),
    catch: (cause) =>
      new InitError({
        file,
        detail:
          (cause as NodeJS.ErrnoException).code === "EEXIST"
            ? "it exists; remove it or choose another --output"
            : String(cause)
      })
  })
})
