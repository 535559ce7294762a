/**
 * The workings of `Feed.stableJson`: a copy with sorted keys written by JSON.stringify, as fast as it
 * gets, and a writer with a stack of its own for a value nested deeper than the copy goes.
 */

// Past this depth the copy below stops and the iterative writer takes over: JSON.stringify recurses, and
// data from upstream can nest deeper than the call stack reaches.
const recursionLimit = 64

const tooDeep: unique symbol = Symbol("tooDeep")

const canonicalize = (value: unknown, depth: number): unknown => {
  if (value === null || typeof value !== "object") return value
  if (depth === recursionLimit) return tooDeep
  if (Array.isArray(value)) {
    const out: Array<unknown> = new Array(value.length)
    for (let i = 0; i < value.length; i++) {
      const item = canonicalize(value[i], depth + 1)
      if (item === tooDeep) return tooDeep
      out[i] = item
    }
    return out
  }
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member === undefined) continue
    const copy = canonicalize(member, depth + 1)
    if (copy === tooDeep) return tooDeep
    out[key] = copy
  }
  return out
}

const isArrayIndex = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) <= 4294967294

// The order in which a copy made by adding the sorted keys lists them: array indices first, by value.
const canonicalKeys = (object: object): ReadonlyArray<string> => {
  const keys = Object.keys(object).sort()
  const indices = keys.filter(isArrayIndex)
  return indices.length === 0
    ? keys
    : [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))]
}

interface Frame {
  readonly container: object
  /** The object's keys in writing order; `undefined` for an array. */
  readonly keys: ReadonlyArray<string> | undefined
  index: number
  written: number
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object"

// What JSON.stringify leaves out of an object, and writes as null in an array.
const isUnwritable = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol"

// Writes what JSON.stringify(canonicalize(value)) would, with a stack of its own instead of recursion.
const writeIteratively = (value: object): string => {
  const stack: Array<Frame> = []
  const open = new Set<object>()
  let out = ""
  const enter = (container: object) => {
    if (open.has(container)) throw new TypeError("Converting circular structure to JSON")
    open.add(container)
    const array = Array.isArray(container)
    stack.push({ container, keys: array ? undefined : canonicalKeys(container), index: 0, written: 0 })
    out += array ? "[" : "{"
  }
  const write = (member: unknown) => {
    if (isContainer(member)) enter(member)
    else out += JSON.stringify(member) ?? "null"
  }
  enter(value)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const { container, keys } = frame
    if (keys === undefined) {
      const items = container as ReadonlyArray<unknown>
      if (frame.index < items.length) {
        if (frame.index > 0) out += ","
        write(items[frame.index++])
        continue
      }
    } else {
      const members = container as Readonly<Record<string, unknown>>
      let key: string | undefined
      while (key === undefined && frame.index < keys.length) {
        const candidate = keys[frame.index++]!
        if (!isUnwritable(members[candidate])) key = candidate
      }
      if (key !== undefined) {
        out += `${frame.written++ > 0 ? "," : ""}${JSON.stringify(key)}:`
        write(members[key])
        continue
      }
    }
    out += keys === undefined ? "]" : "}"
    open.delete(container)
    stack.pop()
  }
  return out
}

const integerLike = /^(?:0|[1-9]\d*)$/

const startsWithDigit = (key: string) => {
  const code = key.charCodeAt(0)
  return code >= 48 && code <= 57
}

const isPlain = (value: object) => {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

// Whether `JSON.stringify(value)` writes the stable text as it is: connectors build their data in a
// fixed order and rows read back from a store come sorted, so most values need no sorted copy (that
// copy was a tenth of a store write's CPU, and most of its garbage). Integer-like keys, which objects
// list first, values other than plain objects and arrays, and deep nesting take the copy.
//
// The check walks `Object.keys`, the own keys JSON.stringify writes, in their order (inherited ones it
// leaves out either way), and tests a key against the pattern only when it starts with a digit: about a
// third cheaper than a `for in` with a pattern test per key. A cache of known key orders was measured
// no cheaper, as telling an object's keys known takes walking them all the same.
const writesStable = (value: unknown, depth: number): boolean => {
  if (value === null || typeof value !== "object") return true
  if (depth === recursionLimit) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!writesStable(value[i], depth + 1)) return false
    return true
  }
  if (!isPlain(value)) return false
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    if (i > 0 && keys[i - 1]! >= key) return false
    if (startsWithDigit(key) && integerLike.test(key)) return false
    if (!writesStable((value as Record<string, unknown>)[key], depth + 1)) return false
  }
  return true
}

/** Writes `value` as `Feed.stableJson` documents it, by a sorted copy (exported for its test). */
export const writeSorted = (value: unknown): string => {
  const copy = canonicalize(value, 0)
  return copy === tooDeep ? writeIteratively(value as object) : JSON.stringify(copy)
}

/** Writes `value` as `Feed.stableJson` documents it. */
export const writeStable = (value: unknown): string =>
  value !== null && typeof value === "object" && writesStable(value, 0) ? JSON.stringify(value) : writeSorted(value)
