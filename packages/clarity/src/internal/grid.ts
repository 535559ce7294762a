/**
 * One contest's votes by reporting unit, choice and vote type, held in flat typed arrays.
 *
 * A statewide contest has thousands of precincts. Held as an object per precinct and per choice, its
 * votes are tens of thousands of small objects that live until the contest closes: long enough for V8
 * to move them out of its young generation, so the heap grows with the file. Here they are a few
 * buffers per contest, outside the JavaScript heap, and the heap stays flat. The units' names are kept
 * once for the file (`Names`), not once per contest.
 */

/** The names of a file's reporting units, each kept once and numbered. */
export interface Names {
  /** The name's number, and the one copy of it kept. */
  readonly intern: (name: string) => number
  readonly name: (id: number) => string
  readonly size: () => number
  /** Forgets every name (between contests, when a hostile file names too many). */
  readonly clear: () => void
}

/** An empty set of names. */
export const names = (): Names => {
  let ids = new Map<string, number>()
  let list: Array<string> = []
  return {
    intern: (name) => {
      let id = ids.get(name)
      if (id === undefined) {
        id = list.length
        list.push(name)
        ids.set(name, id)
      }
      return id
    },
    name: (id) => list[id]!,
    size: () => list.length,
    clear: () => {
      ids = new Map()
      list = []
    }
  }
}

/** The votes of the units of one contest. */
export interface Grid {
  /** The units in the order they were first seen. */
  readonly units: ReadonlyArray<string>
  /** Adds `votes` for `unit`'s `choice` of vote type `type`. */
  readonly add: (unit: string, choice: number, type: string, votes: number) => void
  /** The unit's votes per choice (`choices` of them; 0 where none were given). */
  readonly votes: (unit: number, choices: number) => Array<number>
  /** The unit's votes per choice by vote type: only the types given for that unit and choice. */
  readonly voteTypes: (unit: number, choices: number) => Array<Record<string, number>>
}

// A vote type not given for a unit and choice: told apart from a 0 given.
const absent = Number.NaN

/** An empty grid of units named in `known`; `byType` keeps vote types. */
export const make = (known: Names, byType: boolean): Grid => {
  const units: Array<string> = []
  // By name's number: the unit's slot plus one (0: not in this contest yet).
  let slots = new Int32Array(Math.max(16, known.size()))
  const types = names()
  let capacity = Math.max(16, known.size())
  // By choice: the votes of every unit, and by vote type.
  const votes: Array<Float64Array> = []
  const typed: Array<Array<Float64Array>> = []

  const blank = (fill: number) => new Float64Array(capacity).fill(fill)
  const grown = (array: Float64Array, fill: number) => {
    const next = blank(fill)
    next.set(array)
    return next
  }

  const slotOf = (unit: string) => {
    const id = known.intern(unit)
    if (id >= slots.length) {
      const more = new Int32Array(Math.max(id + 1, slots.length * 2))
      more.set(slots)
      slots = more
    }
    if (slots[id]! > 0) return slots[id]! - 1
    const slot = units.length
    units.push(known.name(id))
    slots[id] = slot + 1
    if (slot === capacity) {
      capacity *= 2
      for (let c = 0; c < votes.length; c++) {
        votes[c] = grown(votes[c]!, 0)
        typed[c] = typed[c]!.map((array) => grown(array, absent))
      }
    }
    return slot
  }

  return {
    units,
    add: (unit, choice, type, count) => {
      const slot = slotOf(unit)
      while (votes.length <= choice) {
        votes.push(blank(0))
        typed.push([])
      }
      votes[choice]![slot]! += count
      if (!byType) return
      const byChoice = typed[choice]!
      const t = types.intern(type)
      while (byChoice.length <= t) byChoice.push(blank(absent))
      const column = byChoice[t]!
      column[slot] = Number.isNaN(column[slot]!) ? count : column[slot]! + count
    },
    votes: (unit, choices) => Array.from({ length: choices }, (_, c) => votes[c]?.[unit] ?? 0),
    voteTypes: (unit, choices) =>
      Array.from({ length: choices }, (_, c) => {
        const record: Record<string, number> = {}
        const byChoice = typed[c] ?? []
        for (let t = 0; t < byChoice.length; t++) {
          const count = byChoice[t]![unit]!
          if (!Number.isNaN(count)) record[types.name(t)] = count
        }
        return record
      })
  }
}
