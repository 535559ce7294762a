import pkg from "../../package.json" with { type: "json" }

// The version of this copy of core, stamped on every source it makes: an app that loads a connector
// compares it with its own to refuse one built against another major.
export const coreVersion: string = pkg.version

const parts = (version: string): [number, number] | undefined => {
  const match = /^(\d+)\.(\d+)\.\d+/.exec(version)
  return match === null ? undefined : [Number(match[1]), Number(match[2])]
}

// Semver's caret rule: the same major, and below 1.0.0 (where a minor release may break) the same minor.
export const isCompatible = (version: unknown): boolean => {
  const mine = parts(coreVersion)
  const theirs = typeof version === "string" ? parts(version) : undefined
  if (mine === undefined || theirs === undefined || mine[0] !== theirs[0]) return false
  return mine[0] > 0 || mine[1] === theirs[1]
}
