/**
 * Rate limits shared through Redis: every process given the same Redis and prefix counts its requests
 * to a source's host against one bucket (keyed `<prefix><source>@<host>`), so N pollers together stay
 * under the API's limit.
 *
 * Loaded only when the config asks for it (`rateLimit: { store: redis://… }`), so that a process that
 * keeps its limits in memory never loads the Redis client.
 *
 * @since 0.2.0
 */
import * as net from "node:net"
import * as tls from "node:tls"
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { RateLimit } from "@electfeed/core"
import { Cause, Duration, Effect, Layer } from "effect"
import { RateLimiter, Redis } from "effect/persistence"
import { StoreError } from "../store/StoreError.ts"
import type { SharedLimits } from "./Settings.ts"

/**
 * How long one limiter call may wait for Redis, and how long connecting may take: a Redis that stops
 * answering fails the request (as a network failure, retried) instead of holding the poll for ever.
 */
const answerWithin = Duration.seconds(5)

/** A Redis URL fit for messages: the password masked. */
const describe = (url: string) => url.replace(/^(rediss?:\/\/[^:/@]*):[^@]*@/, "$1:***@")

const bounded = <A, R>(
  what: string,
  effect: Effect.Effect<A, RateLimiter.RateLimiterError, R>
): Effect.Effect<A, RateLimiter.RateLimiterError, R> =>
  Effect.timeoutOrElse(effect, {
    duration: answerWithin,
    orElse: () =>
      Effect.fail(
        new RateLimiter.RateLimiterError({
          reason: new RateLimiter.RateLimitStoreError({
            message: `${what}: no answer from Redis in ${Duration.format(answerWithin)}`
          })
        })
      )
  })

/**
 * effect's token bucket (same state, same answers), refilled by the Redis server's clock. effect's own
 * script takes the time from each client, so machines whose clocks disagree by a few tens of
 * milliseconds get tokens early or late, and two calls that reach Redis in the other order than their
 * clocks read can move the refill time back. With the server's clock, the order of arrival is the order
 * of time, and the runners' clocks need not agree.
 */
const tokenBucketScript = Redis.script(
  (key: string, refillKey: string, tokens: number, refillMillis: number, limit: number, overflow: 0 | 1) => [
    key,
    refillKey,
    tokens,
    refillMillis,
    limit,
    overflow
  ],
  {
    numberOfKeys: 2,
    lua: `
local key = KEYS[1]
local last_refill_key = KEYS[2]
local tokens = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local overflow = ARGV[4] == "1"
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local current = tonumber(redis.call("GET", key))
local last_refill = tonumber(redis.call("GET", last_refill_key))

if not current then current = limit end
if not last_refill then last_refill = now end

local refill_amount = math.floor((now - last_refill) / refill_ms)
if refill_amount > 0 then
  current = math.min(current + refill_amount, limit)
  last_refill = last_refill + (refill_amount * refill_ms)
end
if current >= limit then
  last_refill = now
end

local next = current - tokens
local stored = current
if next >= 0 or overflow then
  stored = next
end

local elapsed = math.max(0, now - last_refill)
local ttl = math.ceil(math.ceil(limit - stored) * refill_ms - elapsed)
if ttl < 1 then ttl = 1 end
redis.call("SET", key, stored, "PX", ttl)
redis.call("SET", last_refill_key, string.format("%.17g", last_refill), "PX", ttl)
return { string.format("%.17g", next), string.format("%.17g", elapsed) }
`
  }
).withReturnType<readonly [string, string]>()

const storeFailure = (what: string, cause: unknown) =>
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({ message: `${what} failed`, cause })
  })

/** effect's Redis store with the token bucket above, each call bounded in time. */
const store = (prefix: string) =>
  Layer.effect(
    RateLimiter.RateLimiterStore,
    Effect.gen(function* () {
      const effects = yield* RateLimiter.makeStoreRedis({ prefix })
      const tokenBucket = (yield* Redis.Redis).eval(tokenBucketScript)
      return RateLimiter.RateLimiterStore.of({
        fixedWindow: (options) => bounded("fixedWindow", effects.fixedWindow(options)),
        tokenBucket: (options) => {
          const key = `${prefix}${options.key}`
          return bounded(
            "tokenBucket",
            tokenBucket(
              key,
              `${key}:refill`,
              options.tokens,
              Duration.toMillis(options.refillRate),
              options.limit,
              options.allowOverflow ? 1 : 0
            ).pipe(
              Effect.map(([remaining, elapsed]) => [Number(remaining), Number(elapsed)] as const),
              Effect.mapError((cause) => storeFailure("tokenBucket", cause))
            )
          )
        },
        adaptiveConsume: (options) => bounded("adaptiveConsume", effects.adaptiveConsume(options)),
        adaptiveFeedback: (options) => bounded("adaptiveFeedback", effects.adaptiveFeedback(options))
      })
    })
  )

/**
 * Whether something at `url` answers a `PING` within {@link answerWithin}. The Redis client would wait
 * for ever on a server that takes the connection and never answers, and could not even be closed.
 */
const answers = (url: string) =>
  Effect.callback<void, StoreError>((resume) => {
    const { hostname, port, protocol } = new URL(url)
    const options = { host: hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(port || 6379) }
    const socket = protocol === "rediss:" ? tls.connect({ ...options, servername: options.host }) : net.connect(options)
    const fail = (why: string) => {
      socket.destroy()
      resume(Effect.fail(new StoreError({ detail: `cannot reach the rate-limit store ${describe(url)}: ${why}` })))
    }
    const timer = setTimeout(
      () => fail(`no answer in ${Duration.format(answerWithin)}`),
      Duration.toMillis(answerWithin)
    )
    socket.once(protocol === "rediss:" ? "secureConnect" : "connect", () => socket.write("PING\r\n"))
    socket.once("data", () => {
      clearTimeout(timer)
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (error) => {
      clearTimeout(timer)
      fail(error.message)
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      socket.destroy()
    })
  })

/** The Redis client, once the server is seen to answer. */
const connection = (url: string) =>
  Layer.unwrap(
    Effect.as(answers(url), NodeRedis.layer({ url, socket: { connectTimeout: Duration.toMillis(answerWithin) } }))
  )

/**
 * The rate limiter with its buckets in the Redis at `options.url`. Redis out of reach at start is a
 * `StoreError` (the store the limits live in cannot be used).
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: SharedLimits): Layer.Layer<RateLimiter.RateLimiter, StoreError> =>
  RateLimit.layer(store(options.prefix)).pipe(
    Layer.provide(connection(options.url)),
    Layer.catchCause((cause) =>
      Layer.effect(
        RateLimiter.RateLimiter,
        Cause.hasInterrupts(cause)
          ? Effect.interrupt
          : Effect.fail(
              new StoreError({
                detail: `cannot reach the rate-limit store ${describe(options.url)}: ${Cause.pretty(cause).split("\n")[0]}`
              })
            )
      )
    )
  )
