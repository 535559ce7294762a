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
 * same resource keeps the same URL across presigned links that differ only in their signature. Besides
 * these names, any parameter whose name contains `signature`, `credential`, `token`, `secret` or
 * `password`, or starts with `X-Amz-` or `X-Goog-`, is dropped too, and so are the parameters of an
 * Azure shared access signature (`sv`, `se`, `sp`, …) in a URL that carries its `sig`.
 */
const signingParameters: ReadonlySet<string> = new Set([
  "signature",
  "sig",
  "awsaccesskeyid",
  "googleaccessid",
  "expires",
  "key",
  "apikey",
  "api_key",
  "api-key",
  "access_token",
  "password",
  "secret",
  "client_secret"
])

/** The parameters of an Azure shared access signature besides `sig`: meaningless once `sig` is gone. */
const azureSasParameters: ReadonlySet<string> = new Set([
  "sv",
  "ss",
  "srt",
  "sp",
  "se",
  "st",
  "spr",
  "sr",
  "si",
  "sdd",
  "sip",
  "ses",
  "skoid",
  "sktid",
  "skt",
  "ske",
  "sks",
  "skv",
  "saoid",
  "suoid",
  "scid"
])

/** Names that say "secret" whatever service chose them (AWS v2/v4, Google v2/v4, OAuth, API keys). */
const secretLooking = /signature|credential|token|secret|passw(or)?d|api[-_]?key|accesskey|^x-(amz|goog)-|^sig$/i

const isSigningParameter = (name: string): boolean =>
  signingParameters.has(name.toLowerCase()) || secretLooking.test(name)

/**
 * A URL fit for logs, errors and provenance: user info and signing parameters (see
 * {@link signingParameters}) removed. A string that is not an absolute URL is returned with its query
 * string removed.
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
  const names = [...new Set(parsed.searchParams.keys())]
  const sas = names.some((name) => name.toLowerCase() === "sig")
  for (const name of names) {
    if (isSigningParameter(name) || (sas && azureSasParameters.has(name.toLowerCase()))) {
      parsed.searchParams.delete(name)
    }
  }
  return parsed.href
}

const redactedMark = "<redacted>"

/**
 * Where signature-looking values sit in `text`: the value of `name=value` (also percent-encoded, as in a
 * URL quoted inside another), of a JSON `"name": "value"` and of an XML `<Name>value</Name>`, for names
 * that sign or authenticate (S3's `<SignatureProvided>`, `X-Amz-Credential=`, `"access_token"`, …).
 */
const signatureRanges = (text: string): Array<readonly [number, number]> => {
  const ranges: Array<readonly [number, number]> = []
  const pairs = /(?<=^|[^\w.%-]|%3f|%26)([\w.-]+)(?:=|%3d)((?:(?!%26|%3f)[^&\s"'<>])+)/gi
  for (const match of text.matchAll(pairs)) {
    if (!isSigningParameter(match[1]!)) continue
    const end = match.index + match[0].length
    ranges.push([end - match[2]!.length, end])
  }
  const fields = /"([\w.-]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"|<([\w.-]{1,64})>([^<]*)<\/\3>/g
  for (const match of text.matchAll(fields)) {
    const name = match[1] ?? match[3]!
    const value = match[2] ?? match[4]!
    if (value.length === 0 || !secretLooking.test(name)) continue
    const end = match.index + match[0].length - (match[1] === undefined ? name.length + 3 : 1)
    ranges.push([end - value.length, end])
  }
  return ranges
}

const secretRanges = (
  text: string,
  secrets: Iterable<Redacted.Redacted<string>>,
  from: number,
  to: number
): Array<readonly [number, number]> => {
  const ranges: Array<readonly [number, number]> = []
  for (const secret of secrets) {
    const value = Redacted.value(secret)
    if (value.length === 0) continue
    for (
      let i = text.indexOf(value, Math.max(0, from - value.length));
      i !== -1 && i < to;
      i = text.indexOf(value, i + 1)
    ) {
      ranges.push([i, i + value.length])
    }
  }
  return ranges
}

/** `text` between `start` and `end` with every hidden range replaced by the mark. */
const mask = (text: string, start: number, end: number, hidden: ReadonlyArray<readonly [number, number]>) => {
  const sorted = hidden.filter(([from, to]) => to > start && from < end).sort((a, b) => a[0] - b[0])
  let out = ""
  let at = start
  for (const [from, to] of sorted) {
    if (to <= at) continue
    if (from > at) out += text.slice(at, from)
    out += redactedMark
    at = to
  }
  return at < end ? out + text.slice(at, end) : out
}

/**
 * Replaces every occurrence of each secret's value in `text` with `<redacted>`, and so every
 * signature-looking value (a presigned URL's `Signature=`, S3's `<SignatureProvided>`, a JSON
 * `"access_token"`), whatever secrets are given.
 *
 * @since 0.1.0
 * @category redaction
 */
export const scrub = (text: string, secrets: Iterable<Redacted.Redacted<string>>): string =>
  mask(text, 0, text.length, [...secretRanges(text, secrets, 0, text.length), ...signatureRanges(text)])

/** How far around an excerpt signatures are looked for: a value cut by its edge is masked too. */
const signatureMargin = 4096

/**
 * A short, single-line piece of `text` around `offset` (or from its start), with secrets and
 * signature-looking values scrubbed (see {@link scrub}): what a person needs to recognise the bad input,
 * and never a whole body. A secret cut by the edge of the piece is masked too.
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
  const around = Math.max(0, start - signatureMargin)
  const signatures = signatureRanges(text.slice(around, Math.min(text.length, end + signatureMargin))).map(
    ([from, to]) => [from + around, to + around] as const
  )
  const slice = mask(text, start, end, [...secretRanges(text, options?.secrets ?? [], start, end), ...signatures])
  return `${start > 0 ? "…" : ""}${slice.replace(/\s+/g, " ").trim()}${end < text.length ? "…" : ""}`
}
