/**
 * The download file name of a bulk stream, whatever its name: stream names may come from the API (one per
 * dataset), so they are escaped into a plain name of the download directory.
 */
import { createHash } from "node:crypto"

// Names escaped longer than this are cut, and told apart by a hash of the whole.
const maxEscaped = 100

/**
 * `text` as a part of a file name: ASCII letters, digits, `_` and `-` as they are, every other UTF-16 code
 * unit escaped (`.` as `%2E`, `é` as `%E9`, `候` as `%u5019`). Any text, `../x` or a lone surrogate
 * included, gives a plain name, and different texts give different names (long ones told apart by a hash).
 */
export const escapePart = (text: string): string => {
  let escaped = ""
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    escaped += /[A-Za-z0-9_-]/.test(text[index]!)
      ? text[index]
      : unit < 0x100
        ? `%${unit.toString(16).toUpperCase().padStart(2, "0")}`
        : `%u${unit.toString(16).toUpperCase().padStart(4, "0")}`
  }
  return escaped.length <= maxEscaped
    ? escaped
    : `${escaped.slice(0, 60)}~${createHash("sha256").update(escaped).digest("hex").slice(0, 32)}`
}

/** The file of `stream` of `source`, in `format`. */
export const of = (source: string, stream: string, format: string): string =>
  `${escapePart(source)}.${escapePart(stream)}.${format}`
