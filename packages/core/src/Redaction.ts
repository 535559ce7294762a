/**
 * Keeping secrets out of everything a source writes: URLs in errors and provenance, excerpts of bodies.
 *
 * API keys travel as `Redacted` values and are unwrapped only when a request is put on the wire; these
 * helpers clean up the places where a secret could still leak by value, such as a presigned URL's
 * signature or a key echoed back in an error body.
 *
 * @since 0.1.0
 */
import { Redacted } from "effect"

/**
 * Query parameters that authenticate or sign a request. They are dropped whole (not masked) so that the
 * same resource keeps the same URL across presigned links that differ only in their signature.
 *
 * @since 0.1.0
 * @category redaction
 */
export const signingParameters: ReadonlySet<string> = new Set([
  "signature",
  "sig",
  "awsaccesskeyid",
  "expires",
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-security-token",
  "x-amz-signature",
  "x-amz-signedheaders",
  "key",
  "apikey",
  "api_key",
  "api-key",
  "token",
  "access_token",
  "password",
  "secret",
  "client_secret"
])

/**
 * A URL fit for logs, errors and provenance: user info and {@link signingParameters} removed.
 * A string that is not an absolute URL is returned with its query string removed.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl = (url: string | URL): string => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return String(url).split("?")[0] ?? ""
  }
  parsed.username = ""
  parsed.password = ""
  for (const name of [...parsed.searchParams.keys()]) {
    if (signingParameters.has(name.toLowerCase())) parsed.searchParams.delete(name)
  }
  return parsed.href
}

const redactedMark = "<redacted>"

/**
 * Replaces every occurrence of each secret's value in `text` with `<redacted>`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const scrub = (text: string, secrets: Iterable<Redacted.Redacted<string>>): string => {
  let out = text
  for (const secret of secrets) {
    const value = Redacted.value(secret)
    if (value.length > 0) out = out.replaceAll(value, redactedMark)
  }
  return out
}

/**
 * A short, single-line piece of `text` around `offset` (or from its start), with secrets scrubbed: what a
 * person needs to recognise the bad input, and never a whole body. A secret cut by the edge of the piece
 * is masked too.
 *
 * @since 0.1.0
 * @category redaction
 */
export const excerpt = (
  text: string,
  options?: { readonly offset?: number; readonly secrets?: Iterable<Redacted.Redacted<string>>; readonly max?: number }
): string => {
  const max = options?.max ?? 120
  const start = Math.max(0, (options?.offset ?? 0) - Math.floor(max / 2))
  const end = Math.min(text.length, start + max)
  const hidden: Array<readonly [number, number]> = []
  for (const secret of options?.secrets ?? []) {
    const value = Redacted.value(secret)
    if (value.length === 0) continue
    for (
      let i = text.indexOf(value, Math.max(0, start - value.length));
      i !== -1 && i < end;
      i = text.indexOf(value, i + 1)
    ) {
      hidden.push([i, i + value.length])
    }
  }
  let slice = ""
  for (let i = start; i < end; i++) {
    const range = hidden.find(([from, to]) => i >= from && i < to)
    if (range === undefined) {
      slice += text[i]
    } else {
      slice += redactedMark
      i = range[1] - 1
    }
  }
  return `${start > 0 ? "…" : ""}${slice.replace(/\s+/g, " ").trim()}${end < text.length ? "…" : ""}`
}
