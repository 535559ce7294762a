/**
 * The Ballotpedia bulk-data source: one `bulk` stream per dataset of `getQueryList`, named
 * `dataset:<id>`, its rows as `Candidate`, `Endorsement` or `DatasetRow` events. Core's `Source.bulk`
 * downloads each file, streams its rows and checkpoints them; this module lists the datasets and maps rows.
 *
 * @since 0.1.0
 */
import { type Http, Source, SourceError } from "@electfeed/core"
import { Effect, Schema } from "effect"
import pkg from "../package.json" with { type: "json" }
import * as Api from "./Api.ts"
import * as Candidate from "./Candidate.ts"
import { Config, type Kind, kindOf, type Settings, settings as settingsOf } from "./Config.ts"
import * as DatasetRow from "./DatasetRow.ts"
import * as Endorsement from "./Endorsement.ts"
import type { Mapping } from "./Mapping.ts"

/**
 * The mapping of each kind.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mappings: { readonly [K in Kind]: Mapping<K> } = {
  Candidate: Candidate.mapping,
  Endorsement: Endorsement.mapping,
  DatasetRow: DatasetRow.mapping
}

/**
 * The stream name of a dataset.
 *
 * @since 0.1.0
 * @category streams
 */
export const streamName = (dataset: string): string => `dataset:${dataset}`

// Such an id would be carried into every stream name, key and log line of its dataset.
const unusable = (id: string): boolean => !id.isWellFormed() || /\p{Cc}/u.test(id)

const listed = Effect.fn("Ballotpedia.listed")(function* (settings: Settings, client: Http.Client) {
  const all = yield* Api.datasets(client)
  const refused = all.filter((dataset) => unusable(dataset.id)).map((dataset) => JSON.stringify(dataset.id))
  if (refused.length > 0) {
    const why = "whose ids have a lone surrogate or a control character"
    yield* Effect.logWarning(`skipping the datasets ${why}: ${refused.join(", ")}`)
  }
  const usable = all.filter((dataset) => !unusable(dataset.id)).map((dataset) => dataset.id)
  const wanted = settings.datasets
  const unknown = wanted?.filter((id) => !usable.includes(id)) ?? []
  if (unknown.length > 0) {
    const detail = `datasets: getQueryList does not list ${unknown.join(", ")}; it lists ${usable.join(", ")}`
    return yield* new SourceError.ConfigError({ source: Api.sourceId, detail })
  }
  return all.filter((dataset) => !unusable(dataset.id) && (wanted === undefined || wanted.includes(dataset.id)))
})

const bulkOf = (dataset: Api.Dataset, settings: Settings) => {
  const mapping = mappings[kindOf(settings, dataset)] as Mapping<Kind>
  return Source.bulk({
    kind: mapping.kind,
    key: mapping.key,
    description: dataset.description ? `${dataset.title}: ${dataset.description}` : dataset.title,
    link: ({ client }) => Api.link(client, dataset.id, settings.format),
    format: settings.format,
    row: Schema.Record(Schema.String, Schema.Unknown),
    entity: (values, { files, url, index }) =>
      mapping.decode({ _tag: "Row", index, values }, { client: files, url, dataset: dataset.id }),
    keyPrefix: () => mapping.keyPrefix(dataset.id),
    settings: () => ({
      malformedRows: settings.malformedRows,
      maxBytes: settings.maxDownloadBytes,
      maxDuration: settings.maxDownloadDuration
    })
  })
}

/**
 * The source.
 *
 * @since 0.1.0
 * @category source
 */
export const source = Source.define({
  id: Api.sourceId,
  package: pkg,
  description:
    "Ballotpedia's bulk data (candidates, endorsements and other daily datasets), downloaded through its API",
  config: Config,
  every: "24 hours",
  secrets: { apiKey: "BALLOTPEDIA_API_KEY" },
  flags: [
    { name: "dataset", key: "datasets", metavar: "ID", description: "A dataset id (default: all of your account)" },
    { name: "format", key: "format", description: "Which of the API's formats to read (both give the same events)" }
  ],
  http: (config) => {
    const { baseUrl, rateLimit } = settingsOf(config)
    return { baseUrl, rateLimit, headers: { "x-api-key": config.apiKey }, retry: config.retry }
  },
  streams: ({ config, client }) => {
    const settings = settingsOf(config)
    return Effect.map(listed(settings, client), (datasets) =>
      Object.fromEntries(datasets.map((dataset) => [streamName(dataset.id), bulkOf(dataset, settings)]))
    )
  }
})
