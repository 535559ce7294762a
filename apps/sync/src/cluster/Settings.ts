/**
 * The config file's settings for running on several machines: where rate limits are shared, and how
 * quickly runners notice one another.
 *
 * ```yaml
 * rateLimit:
 *   store: redis://10.0.0.5:6379      # default: memory (each process has its own buckets)
 *   prefix: "electfeed:ratelimit:"    # the Redis keys' prefix (default shown)
 * cluster:                            # for `poll --runner`; the defaults shown
 *   shards: 64
 *   lockExpiration: 10 seconds
 *   lockRefresh: 2 seconds
 *   assignmentRefresh: 1 second
 *   healthCheck: 5 seconds
 * ```
 *
 * Every source's rate limit (`limit`, `window`, `burst`, in its own `config`) applies per source and
 * host; with a Redis store, every process that polls the source counts against the same bucket.
 *
 * @since 0.2.0
 */
import { Duration, Effect, Layer, Schema } from "effect"

const Positive = Schema.DurationFromString.check(
  Schema.makeFilter((duration) => Duration.isGreaterThan(duration, Duration.zero) || "expected a positive duration")
)

/**
 * The `rateLimit` section: `store` is `memory` or a `redis://` (or `rediss://`) URL.
 *
 * @since 0.2.0
 * @category schemas
 */
export const RateLimitSection = Schema.Struct({
  store: Schema.optionalKey(
    Schema.String.check(
      Schema.makeFilter(
        (store) => store === "memory" || /^rediss?:\/\/\S+$/.test(store) || "expected memory or a redis:// URL"
      )
    )
  ),
  prefix: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty()))
})

/**
 * Where the rate limiter keeps its buckets: `undefined` for process memory.
 *
 * @since 0.2.0
 * @category models
 */
export interface SharedLimits {
  readonly url: string
  readonly prefix: string
}

/**
 * The Redis keys' prefix when the config gives none.
 *
 * @since 0.2.0
 * @category defaults
 */
export const defaultPrefix = "electfeed:ratelimit:"

/**
 * The shared store a `rateLimit` section asks for, if any.
 *
 * @since 0.2.0
 * @category models
 */
export const sharedLimitsOf = (section: typeof RateLimitSection.Type | undefined): SharedLimits | undefined =>
  section?.store === undefined || section.store === "memory"
    ? undefined
    : { url: section.store, prefix: section.prefix ?? defaultPrefix }

/**
 * The `cluster` section.
 *
 * - `shards`: how many parts the work is cut into (each source's poll loop lives in one); every runner
 *   must use the same number.
 * - `lockExpiration`: how long a runner that stopped answering keeps its shards. The runner that takes
 *   over waits this long after the last sign of life, so a source misses at most about this much of its
 *   cadence. Rounded up to whole seconds.
 * - `lockRefresh`: how often a runner renews its locks (at least three times per `lockExpiration`); it is
 *   also the time a lock operation may take before the runner gives its shards up.
 * - `assignmentRefresh`: how often a runner reads who else is there.
 * - `healthCheck`: how often runners ping one another.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ClusterSection = Schema.Struct({
  shards: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))),
  lockExpiration: Schema.optionalKey(Positive),
  lockRefresh: Schema.optionalKey(Positive),
  assignmentRefresh: Schema.optionalKey(Positive),
  healthCheck: Schema.optionalKey(Positive)
})

/**
 * The cluster settings, defaults filled in.
 *
 * @since 0.2.0
 * @category models
 */
export interface ClusterSettings {
  readonly shards: number
  readonly lockExpiration: Duration.Duration
  readonly lockRefresh: Duration.Duration
  readonly assignmentRefresh: Duration.Duration
  readonly healthCheck: Duration.Duration
}

/**
 * Defaults for election night at a 30 to 60 second cadence: a dead runner's sources move within about
 * ten seconds, and a loaded database has two seconds to answer a lock renewal.
 *
 * @since 0.2.0
 * @category defaults
 */
export const clusterDefaults: ClusterSettings = {
  shards: 64,
  lockExpiration: Duration.seconds(10),
  lockRefresh: Duration.seconds(2),
  assignmentRefresh: Duration.seconds(1),
  healthCheck: Duration.seconds(5)
}

/**
 * The settings a `cluster` section gives, defaults filled in.
 *
 * @since 0.2.0
 * @category models
 */
export const clusterSettingsOf = (section: typeof ClusterSection.Type | undefined): ClusterSettings => ({
  shards: section?.shards ?? clusterDefaults.shards,
  lockExpiration: section?.lockExpiration ?? clusterDefaults.lockExpiration,
  lockRefresh: section?.lockRefresh ?? clusterDefaults.lockRefresh,
  assignmentRefresh: section?.assignmentRefresh ?? clusterDefaults.assignmentRefresh,
  healthCheck: section?.healthCheck ?? clusterDefaults.healthCheck
})

/**
 * The rate limiter the settings ask for: `undefined` keeps the in-memory one; a shared store's module
 * (and its Redis client) is loaded only here.
 *
 * @since 0.2.0
 * @category layers
 */
export const limiterLayer = (limits: SharedLimits | undefined) =>
  limits === undefined
    ? Layer.empty
    : Layer.unwrap(
        Effect.map(
          Effect.promise(() => import("./SharedLimits.ts")),
          (module) => module.layer(limits)
        )
      )
