/**
 * The Ballotpedia bulk-data source: one `bulk` stream per dataset of `getQueryList`, named
 * `dataset:<id>`, its rows as `Candidate`, `Endorsement` or `DatasetRow` events.
 *
 * @since 0.1.0
 */
import { Source, SourceError } from "@electfeed/core"
import { Effect, Stream } from "effect"
import * as Api from "./Api.ts"
import { Config, type Kind, kindOf, type Settings, settings as settingsOf } from "./Config.ts"
import * as Dataset from "./Dataset.ts"

interface Listed {
  readonly id: string
  readonly kind: Kind
  readonly spec: Source.StreamSpec
}

const listed = (api: Api.Api, settings: Settings): Effect.Effect<ReadonlyArray<Listed>, SourceError.SourceError> =>
  Effect.gen(function* () {
    const all = yield* api.datasets
    const wanted = settings.datasets
    if (wanted !== undefined) {
      const unknown = wanted.filter((id) => !all.some((dataset) => dataset.id === id))
      if (unknown.length > 0) {
        return yield* new SourceError.ConfigError({
          source: Api.sourceId,
          detail: `datasets: getQueryList does not list ${unknown.join(", ")}; it lists ${all
            .map((dataset) => dataset.id)
            .join(", ")}`
        })
      }
    }
    return all
      .filter((dataset) => wanted === undefined || wanted.includes(dataset.id))
      .map((dataset) => {
        const kind = kindOf(settings, dataset)
        return {
          id: dataset.id,
          kind,
          spec: {
            name: Dataset.streamName(dataset.id),
            kind,
            key: Dataset.mappings[kind].key,
            mode: "bulk",
            description: dataset.description ? `${dataset.title}: ${dataset.description}` : dataset.title
          }
        }
      })
  })

const withApi = <A>(
  config: Config,
  f: (api: Api.Api, settings: Settings) => Effect.Effect<A, SourceError.SourceError>
): Effect.Effect<A, SourceError.SourceError, Source.Services> =>
  Effect.suspend(() => {
    const settings = settingsOf(config)
    return Effect.flatMap(Api.make(settings), (api) => f(api, settings))
  })

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.make({
  id: Api.sourceId,
  connector: Api.connector,
  description:
    "Ballotpedia's bulk data (candidates, endorsements and other daily datasets), downloaded through its API",
  configSchema: Config,
  catalog: (config) =>
    withApi(config, (api, settings) => Effect.map(listed(api, settings), (all) => all.map((d) => d.spec))),
  check: (config) => withApi(config, (api, settings) => Effect.asVoid(listed(api, settings))),
  read: (config, options) =>
    Stream.unwrap(
      withApi(config, (api, settings) =>
        Effect.gen(function* () {
          const all = yield* listed(api, settings)
          const selected = yield* Source.selectStreams(
            Api.sourceId,
            all.map((dataset) => dataset.spec),
            options
          )
          const names = new Set(selected.map((spec) => spec.name))
          return Stream.fromIterable(all.filter((dataset) => names.has(dataset.spec.name))).pipe(
            Stream.flatMap((dataset) => Dataset.read(api, settings, dataset, options?.checkpoints?.[dataset.spec.name]))
          )
        })
      )
    )
})
