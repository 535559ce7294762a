const isContainer = (value: unknown): value is object => value !== null && typeof value === "object"

/**
 * The path to the first array or object in `value` that is nested deeper than `limit` levels (`value`
 * itself being level 1), or `undefined` when there is none. The walk keeps its own stack, which never
 * holds more than `limit` entries, so a value of any depth (even one that contains itself) is safe.
 */
export const deepestPath = (value: unknown, limit: number): ReadonlyArray<PropertyKey> | undefined => {
  if (!isContainer(value)) return undefined
  if (limit < 1) return []
  const containers: Array<object> = [value]
  // The keys of each object on the stack; `undefined` for an array, whose keys are its indices.
  const names: Array<ReadonlyArray<string> | undefined> = [Array.isArray(value) ? undefined : Object.keys(value)]
  // The next child of each container on the stack.
  const next: Array<number> = [0]
  const keyAt = (level: number): PropertyKey => {
    const at = next[level]! - 1
    return names[level]?.[at] ?? at
  }
  while (containers.length > 0) {
    const top = containers.length - 1
    const container = containers[top]!
    const keys = names[top]
    const at = next[top]!
    if (at === (keys === undefined ? (container as ReadonlyArray<unknown>).length : keys.length)) {
      containers.pop()
      names.pop()
      next.pop()
      continue
    }
    next[top] = at + 1
    const child =
      keys === undefined
        ? (container as ReadonlyArray<unknown>)[at]
        : (container as Readonly<Record<string, unknown>>)[keys[at]!]
    if (!isContainer(child)) continue
    if (containers.length === limit) return containers.map((_, level) => keyAt(level))
    containers.push(child)
    names.push(Array.isArray(child) ? undefined : Object.keys(child))
    next.push(0)
  }
  return undefined
}
