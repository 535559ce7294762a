import * as zlib from "node:zlib"

/** What requests ask for when their caller did not say: every encoding the client can decode. */
export const defaultAcceptEncoding = "gzip, deflate, br"

const decoders: Record<string, () => zlib.Gunzip | zlib.BrotliDecompress | zlib.Inflate> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: () => zlib.createInflate()
}

const canonical = (coding: string) => (coding === "x-gzip" ? "gzip" : coding)

/** The codings an `accept-encoding` header allows (`q=0` refuses one; `*` allows any not refused). */
const allowed = (acceptEncoding: string): ((coding: string) => boolean) => {
  const weights = new Map<string, number>()
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = part.split(";").map((s) => s.trim().toLowerCase())
    if (name === "") continue
    const q = parameters.find((p) => p.startsWith("q="))
    weights.set(canonical(name), q === undefined ? 1 : Number(q.slice(2)) || 0)
  }
  return (coding) => {
    const weight = weights.get(coding) ?? weights.get("*")
    return weight !== undefined && weight > 0
  }
}

/**
 * The decoder for a response's `content-encoding`, or `undefined` when its body is to be handed over as
 * it came: no encoding, one the client cannot decode, or one the request did not ask for. A server that
 * gzips a file asked for as `identity` does not get it inflated on our side (a gzip bomb written to disk
 * at a thousand times its size); the caller sees the `content-encoding` header and the bytes as sent.
 */
export const decoderFor = (
  contentEncoding: string | undefined,
  acceptEncoding: string | undefined
): (() => zlib.Gunzip | zlib.BrotliDecompress | zlib.Inflate) | undefined => {
  if (contentEncoding === undefined) return undefined
  const coding = contentEncoding.trim().toLowerCase()
  const decoder = decoders[coding]
  return decoder !== undefined && allowed(acceptEncoding ?? "identity")(canonical(coding)) ? decoder : undefined
}
