/**
 * The `@id`s of an export: readable (`ru-ga-abernathy`, `c-clarity-governor`), valid XML names (the
 * format's `@id`s are `xsd:ID`s, so the XML form of a report can use them too), the same for the same
 * stored data in every export, and unique within one.
 *
 * @since 0.2.0
 */
import { createHash } from "node:crypto"

/**
 * An `@id` as the format takes it: an XML name without a colon (NCName).
 *
 * @since 0.2.0
 * @category validation
 */
export const pattern = /^[A-Za-z_][A-Za-z0-9._-]*$/

/**
 * Lowercase ASCII letters and digits joined by `-`, accents dropped: `Pine & Cedar` is `pine-cedar`.
 *
 * @since 0.2.0
 * @category ids
 */
export const slug = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "") || "x"

/**
 * Hands out `@id`s: `prefix-<slug of the readable parts>`, or, when two different things would read
 * alike (`St. Mary's` and `St Marys`), the later one with a hash of what it is.
 *
 * @since 0.2.0
 * @category ids
 */
export interface Registry {
  /** The id of the thing `identity` (any text that tells it apart), read as `readable`. */
  readonly id: (prefix: string, readable: ReadonlyArray<string>, identity: string) => string
}

/**
 * A new registry, for one export.
 *
 * @since 0.2.0
 * @category constructors
 */
export const registry = (): Registry => {
  const byIdentity = new Map<string, string>()
  const taken = new Set<string>()
  return {
    id: (prefix, readable, identity) => {
      const known = byIdentity.get(`${prefix}\u0000${identity}`)
      if (known !== undefined) return known
      const plain = [prefix, ...readable.map(slug)].join("-")
      const hashed = `${plain}-${createHash("sha256").update(identity).digest("hex").slice(0, 10)}`
      const id = taken.has(plain) ? hashed : plain
      taken.add(id)
      byIdentity.set(`${prefix}\u0000${identity}`, id)
      return id
    }
  }
}
