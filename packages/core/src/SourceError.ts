/**
 * The closed set of errors a source can fail with.
 *
 * Every connector maps whatever went wrong (a status code, a dropped socket, a body that does not match its
 * schema) onto one of these, so that retry, logging, storage and the CLI treat all sources alike. Each error
 * carries the connector id, a URL with secrets and signatures removed, and a readable `message`.
 *
 * @since 0.1.0
 */
import { Option, Predicate, Schema } from "effect"
import { formatDuration } from "./internal/format.ts"

const common = {
  /** The connector id, e.g. `ca-sos`. */
  source: Schema.String
}

/**
 * The source's configuration cannot be used: a missing or malformed setting. Never retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  ...common,
  /** What is wrong, naming the setting. */
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.source}: unusable configuration: ${this.detail}`
  }
}

/**
 * The API refused the credentials (HTTP 401 or 403, or an equivalent answer). Never retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthError extends Schema.TaggedError<AuthError>()("AuthError", {
  ...common,
  url: Schema.String,
  status: Schema.Int
}) {
  override get message(): string {
    return `${this.source}: the API refused the credentials (HTTP ${this.status} from ${this.url})`
  }
}

/**
 * The resource does not exist (HTTP 404). Some APIs also answer 404 for resources that need credentials.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  ...common,
  url: Schema.String
}) {
  override get message(): string {
    return `${this.source}: not found: ${this.url}`
  }
}

/**
 * The API asked us to slow down (HTTP 429). Retried after `retryAfter` when the API gave one, unless that
 * wait is longer than the retry policy allows (`maxWait`): then the read fails with this error rather
 * than stand still.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...common,
  url: Schema.String,
  /** The wait the API asked for, from its `Retry-After` header (seconds or HTTP-date). */
  retryAfter: Schema.OptionFromNullOr(Schema.DurationFromMillis),
  /** The longest wait allowed, when `retryAfter` asked for more and was refused. */
  maxWait: Schema.optionalKey(Schema.DurationFromMillis)
}) {
  override get message(): string {
    return Option.match(this.retryAfter, {
      onNone: () => `${this.source}: rate limited by ${this.url}`,
      onSome: (wait) =>
        this.maxWait === undefined
          ? `${this.source}: rate limited by ${this.url}, retry after ${formatDuration(wait)}`
          : `${this.source}: rate limited by ${this.url}: the wait asked for (${formatDuration(wait)}) ` +
            `exceeds the ${formatDuration(this.maxWait)} allowed, so the request is not retried`
    })
  }
}

/**
 * A failure that may pass if tried again: the network, a timeout, or a server error (HTTP 408, 5xx).
 *
 * @since 0.1.0
 * @category errors
 */
export class Transient extends Schema.TaggedError<Transient>()("Transient", {
  ...common,
  url: Schema.String,
  reason: Schema.Literals(["network", "timeout", "server"]),
  /** The HTTP status for `server`, when there was a response. */
  status: Schema.optionalKey(Schema.Int),
  detail: Schema.String
}) {
  override get message(): string {
    const status = this.status === undefined ? "" : ` (HTTP ${this.status})`
    return `${this.source}: ${this.reason} failure${status} at ${this.url}: ${this.detail}`
  }
}

/**
 * A body, or one row of it, does not have the shape the connector expects. Carries where: the URL, the
 * path in the body (`$[0].candidates[3].Votes`) or the row and column of a file, and a short excerpt with
 * secrets removed.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...common,
  url: Schema.String,
  /** JSON path of the offending value, when the body is a JSON document. */
  path: Schema.optionalKey(Schema.String),
  /** 0-based data row of a file (the header is not a row), when the body is a table of rows. */
  row: Schema.optionalKey(Schema.Int),
  /** Column name of the offending value in that row. */
  column: Schema.optionalKey(Schema.String),
  /** What was expected and what was found. */
  detail: Schema.String,
  /** A short piece of the offending input, secrets removed. */
  excerpt: Schema.String
}) {
  override get message(): string {
    const where = [
      this.path === undefined ? undefined : `at ${this.path}`,
      this.row === undefined ? undefined : `row ${this.row}`,
      this.column === undefined ? undefined : `column ${this.column}`
    ]
      .filter(Predicate.isNotUndefined)
      .join(", ")
    return (
      `${this.source}: cannot decode ${this.url}${where ? ` (${where})` : ""}: ${this.detail}` +
      (this.excerpt ? ` near ${JSON.stringify(this.excerpt)}` : "")
    )
  }
}

/**
 * The API answered, even with HTTP 200, that the request failed (`{"success": false, "message": …}`).
 *
 * @since 0.1.0
 * @category errors
 */
export class UpstreamFailure extends Schema.TaggedError<UpstreamFailure>()("UpstreamFailure", {
  ...common,
  url: Schema.String,
  /** The API's own message. */
  upstreamMessage: Schema.String
}) {
  override get message(): string {
    return `${this.source}: the API reported a failure at ${this.url}: ${this.upstreamMessage}`
  }
}

/**
 * The API rejected the request itself (an HTTP 4xx other than 401, 403, 404, 408 and 429), or answered
 * with a redirect the client may not follow (HTTP 3xx: to another origin while the request carries the
 * source's credentials, or too many in a row). Never retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestRejected extends Schema.TaggedError<RequestRejected>()("RequestRejected", {
  ...common,
  url: Schema.String,
  status: Schema.Int,
  /** The start of the response body, secrets removed; for a redirect, why it was not followed. */
  excerpt: Schema.String
}) {
  override get message(): string {
    const what = this.status >= 300 && this.status < 400 ? "redirect was not followed" : "API rejected the request"
    return (
      `${this.source}: the ${what} (HTTP ${this.status} from ${this.url})` + (this.excerpt ? `: ${this.excerpt}` : "")
    )
  }
}

/**
 * Any error a source can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type SourceError =
  | ConfigError
  | AuthError
  | NotFound
  | RateLimited
  | Transient
  | DecodeError
  | UpstreamFailure
  | RequestRejected

/**
 * The schema of {@link SourceError}, to store or send an error and read it back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SourceError = Schema.Union([
  ConfigError,
  AuthError,
  NotFound,
  RateLimited,
  Transient,
  DecodeError,
  UpstreamFailure,
  RequestRejected
])

const isAnySourceError = Schema.is(SourceError)

/**
 * Whether a value is one of the {@link SourceError}s.
 *
 * @since 0.1.0
 * @category guards
 */
export const isSourceError = (u: unknown): u is SourceError => isAnySourceError(u)
