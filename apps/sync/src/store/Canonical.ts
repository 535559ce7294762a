/**
 * Stable JSON (`Feed.stableJson`: keys sorted) of a value whose keys most often are sorted already:
 * connectors build their data in a fixed order, and rows read back from the store come sorted. Such a
 * value is checked in place and written by `JSON.stringify` as it is, which writes the same text
 * without the sorted copy that `Feed.stableJson` makes (that copy was a tenth of a write's CPU, and
 * most of its garbage). Anything else (unsorted keys, integer-like keys, which objects list first,
 * values other than plain objects and arrays, or deep nesting) goes to `Feed.stableJson`.
 *
 * @since 0.2.0
 */
import { Feed } from "@electfeed/core"

/** Past this depth `JSON.stringify` might exhaust the stack; `Feed.stableJson` walks it with its own. */
const depthLimit = 64

const integerLike = /^(?:0|[1-9]\d*)$/

const isPlain = (value: object) => {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** Whether `JSON.stringify(value)` writes what `Feed.stableJson(value)` does. */
const writesStable = (value: unknown, depth: number): boolean => {
  if (value === null || typeof value !== "object") return true
  if (depth === depthLimit) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!writesStable(value[i], depth + 1)) return false
    return true
  }
  if (!isPlain(value)) return false
  let previous: string | undefined
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false
    if ((previous !== undefined && previous >= key) || integerLike.test(key)) return false
    if (!writesStable((value as Record<string, unknown>)[key], depth + 1)) return false
    previous = key
  }
  return true
}

/**
 * `Feed.stableJson(value)`, made without a sorted copy when the keys are sorted already.
 *
 * @since 0.2.0
 * @category encoding
 */
export const stableJson = (value: unknown): string =>
  value !== null && typeof value === "object" && writesStable(value, 0) ? JSON.stringify(value) : Feed.stableJson(value)
