import { Cause, type Duration, Option, type Redacted, Result } from "effect"
import { Headers } from "effect/http"
import { excerpt } from "../Redaction.ts"
import { AuthError, NotFound, RateLimited, RequestRejected, type SourceError, Transient } from "../SourceError.ts"

export const describeCause = (cause: unknown): string => {
  if (Cause.isTimeoutError(cause)) return "timed out"
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const inner = (cause as { cause?: unknown }).cause
    const innerText = inner instanceof Error ? `: ${inner.message}` : ""
    return `${typeof code === "string" ? `${code} ` : ""}${cause.message}${innerText}`
  }
  return String(cause)
}

/** The wait a `Retry-After` header asks for, from seconds or an HTTP-date, measured from `now` (epoch ms). */
export const retryAfter = (headers: Headers.Headers, now: number): Option.Option<Duration.Duration> => {
  const value = headers["retry-after"]
  if (value === undefined) return Option.none()
  return Result.match(Headers.parseRetryAfter(value), {
    onFailure: () => Option.none(),
    onSuccess: (parsed) => Option.some(Headers.retryAfterDelay(parsed, now))
  })
}

/** The error a status the caller does not accept stands for; `text` is the start of its body. */
export const statusError = (fields: {
  readonly source: string
  readonly url: string
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  readonly now: number
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}): SourceError => {
  const { source, url, status } = fields
  if (status === 401 || status === 403) return new AuthError({ source, url, status })
  if (status === 404) return new NotFound({ source, url })
  if (status === 408) {
    return new Transient({ source, url, reason: "timeout", status, detail: "the server timed out the request" })
  }
  if (status === 429) return new RateLimited({ source, url, retryAfter: retryAfter(fields.headers, fields.now) })
  const quoted = excerpt(fields.text, { secrets: fields.secrets })
  if (status >= 500) return new Transient({ source, url, reason: "server", status, detail: quoted || "server error" })
  return new RequestRejected({ source, url, status, excerpt: quoted })
}
