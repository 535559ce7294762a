/**
 * The fuzzer's mutators: of bytes (bit flips, truncation, splicing, NUL, invalid UTF-8, byte-order marks,
 * repeated delimiters, long runs), of JSON structure (type swaps, deep nesting, huge numbers, lone
 * surrogates and other odd text in strings, long strings, odd keys) and of CSV structure (stray quotes and delimiters, long fields, odd
 * line ends and headers). Each takes a body and gives another; none fails.
 */
import { deepestPath } from "../../internal/depth.ts"

/**
 * A seeded source of randomness: the same seed, the same numbers.
 */
export interface Random {
  /** In [0, 1). */
  readonly next: () => number
  /** An integer in [0, below). */
  readonly int: (below: number) => number
  readonly pick: <A>(values: ReadonlyArray<A>) => A
  readonly chance: (probability: number) => boolean
}

/**
 * A small, fast generator (sfc32) seeded by a 32-bit integer.
 */
export const random = (seed: number): Random => {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  const int = (below: number) => Math.floor(next() * below)
  return { next, int, pick: (values) => values[int(values.length)]!, chance: (p) => next() < p }
}

/**
 * A 32-bit seed from several parts (a run's seed, a target's name, a body's number).
 */
export const seedOf = (...parts: ReadonlyArray<string | number>): number => {
  let hash = 0x811c9dc5
  for (const char of parts.join("\u0000")) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * A mutation of a body; `seeds` are the target's seed bodies, for splicing.
 */
type Mutator = (body: Uint8Array, random: Random, seeds: ReadonlyArray<Uint8Array>) => Uint8Array

const maxWritableDepth = 200

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const bytes = (...values: ReadonlyArray<number>) => Uint8Array.from(values)

const concat = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => Buffer.concat(parts)

// How long a long run is: mostly small, sometimes past the decoders' 16 MiB row limit.
const longLength = (random: Random) =>
  random.pick([1, 2, 100, 4096, 70_000, random.chance(0.2) ? 17 * 1024 * 1024 + 1 : 300_000])

const deepDepth = (random: Random) => random.pick([63, 65, 1000, 6000, 100_000])

const specials: ReadonlyArray<Uint8Array> = [
  bytes(0),
  bytes(0xc0, 0x80),
  bytes(0xed, 0xa0, 0x80),
  bytes(0xf8, 0x88, 0x80, 0x80, 0x80),
  bytes(0xff),
  bytes(0x80),
  bytes(0xe2, 0x82),
  bytes(0xef, 0xbb, 0xbf),
  bytes(0xfe, 0xff),
  bytes(0xff, 0xfe),
  encoder.encode("\u2028\u202e\ud83d\ude00"),
  encoder.encode("\\u0000\\ud800\\udfff\\"),
  encoder.encode('"'),
  encoder.encode("\r"),
  encoder.encode("\r\n\r\n"),
  encoder.encode("]}"),
  encoder.encode("[{")
]

const insertAt = (body: Uint8Array, at: number, part: Uint8Array) =>
  concat(body.subarray(0, at), part, body.subarray(at))

const repeat = (part: string, times: number) => encoder.encode(part.repeat(times))

/**
 * The byte mutators, by name.
 */
const byteMutators: Readonly<Record<string, Mutator>> = {
  bitFlips: (body, random) => {
    const out = Uint8Array.from(body)
    for (let n = 1 + random.int(8); n > 0 && out.length > 0; n--) out[random.int(out.length)]! ^= 1 << random.int(8)
    return out
  },
  randomBytes: (body, random) => {
    const out = Uint8Array.from(body)
    for (let n = 1 + random.int(4); n > 0 && out.length > 0; n--) out[random.int(out.length)] = random.int(256)
    return out
  },
  truncate: (body, random) => body.subarray(0, random.int(body.length + 1)),
  dropRange: (body, random) => {
    const start = random.int(body.length + 1)
    return concat(body.subarray(0, start), body.subarray(start + 1 + random.int(64)))
  },
  duplicateRange: (body, random) => {
    const start = random.int(body.length + 1)
    return insertAt(body, start, body.subarray(start, start + 1 + random.int(256)))
  },
  splice: (body, random, seeds) => {
    const other = random.pick(seeds)
    return concat(body.subarray(0, random.int(body.length + 1)), other.subarray(random.int(other.length + 1)))
  },
  special: (body, random) => insertAt(body, random.int(body.length + 1), random.pick(specials)),
  bom: (body, random) =>
    insertAt(body, random.chance(0.5) ? 0 : random.int(body.length + 1), random.pick(specials.slice(7, 10))),
  repeatedDelimiters: (body, random) =>
    insertAt(
      body,
      random.int(body.length + 1),
      repeat(random.pick([",", '"', "[", "{", "\n", ":", "\\", "]"]), 1 + random.int(5000))
    ),
  longRun: (body, random) =>
    insertAt(body, random.int(body.length + 1), repeat(random.pick(["a", " ", "0", "é"]), longLength(random)))
}

// Text put into a JSON value as it is (a number JSON.parse would round, nesting JSON.stringify cannot
// write): a placeholder string while the value is changed, swapped for the text when it is written.
class Raw {
  readonly pieces = new Map<string, string>()
  add(text: string): string {
    const token = `\u0000raw${this.pieces.size}\u0000`
    this.pieces.set(JSON.stringify(token), text)
    return token
  }
  write(value: unknown): Uint8Array {
    let text = JSON.stringify(value) ?? "null"
    for (const [token, piece] of this.pieces) text = text.split(token).join(piece)
    return encoder.encode(text)
  }
}

interface Slot {
  readonly holder: Record<string, unknown> | Array<unknown>
  readonly key: string | number
}

// A random place in a value, found by walking down from the root (never deeper than 64 steps).
const slotIn = (root: { value: unknown }, random: Random): Slot => {
  let slot: Slot = { holder: root as Record<string, unknown>, key: "value" }
  for (let steps = 0; steps < 64; steps++) {
    const value = (slot.holder as Record<string, unknown>)[slot.key]
    if (value === null || typeof value !== "object") break
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
    if (keys.length === 0 || random.chance(0.25)) break
    slot = { holder: value as Record<string, unknown>, key: random.pick<string | number>(keys) }
  }
  return slot
}

const set = (slot: Slot, value: unknown) => {
  ;(slot.holder as Record<string, unknown>)[slot.key] = value
}

const replacements = (random: Random, raw: Raw): unknown =>
  random.pick<() => unknown>([
    () => null,
    () => random.chance(0.5),
    () => random.pick([0, -0, 1.5, -1e308, 2 ** 53 + 1]),
    () => raw.add(random.pick(["1e999999", "-1E+400", `${"9".repeat(10_000)}`, "0.000000000000000000001", "-0"])),
    () => random.pick(["", "text", "1,234", "true", "null", "\u0000", "\ud800", "a\udc00b", "\u202e\ud83d\ude00"]),
    () => "x".repeat(longLength(random)),
    () => [],
    () => ({}),
    () => [1, "2", null],
    () => ({ a: { b: [1] } }),
    () => {
      const depth = deepDepth(random)
      return raw.add(
        random.chance(0.5)
          ? `${"[".repeat(depth)}${"]".repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
      )
    }
  ])()

// Text that upstream strings can hold and decoders stumble on.
const oddText = (random: Random, text: string): string => {
  const at = random.int(text.length + 1)
  const piece = random.pick(["\ud800", "\udfff", "\u0000", "/", "%", "\u2028", "\ud83d\ude00", "\ufeff", " "])
  return random.chance(0.2) ? piece : text.slice(0, at) + piece + text.slice(at)
}

// Changes some of the strings of a value (walked without recursion, at most 64 deep), so that the
// values of key columns are hit often.
const changeStrings = (root: { value: unknown }, random: Random) => {
  const share = random.pick([0.02, 0.1, 0.5])
  const stack: Array<{ readonly holder: Record<string, unknown>; readonly depth: number }> = [
    { holder: root as Record<string, unknown>, depth: 0 }
  ]
  while (stack.length > 0) {
    const { holder, depth } = stack.pop()!
    for (const key of Object.keys(holder)) {
      const value = holder[key]
      if (typeof value === "string" && random.chance(share)) holder[key] = oddText(random, value)
      else if (value !== null && typeof value === "object" && depth < 64) {
        stack.push({ holder: value as Record<string, unknown>, depth: depth + 1 })
      }
    }
  }
}

const oddKeys = ["__proto__", "constructor", "", "a/b", "\ud800", "x".repeat(1000), "0", "slug", "id"]

/**
 * The JSON structure mutators, by name. A body that is not JSON is given back as it is.
 */
const jsonMutators: Readonly<Record<string, Mutator>> = Object.fromEntries(
  Object.entries({
    strings: changeStrings,
    typeSwap: (root: { value: unknown }, random: Random, raw: Raw) =>
      set(slotIn(root, random), replacements(random, raw)),
    wrap: (root: { value: unknown }, random: Random) => {
      const slot = slotIn(root, random)
      const value = (slot.holder as Record<string, unknown>)[slot.key]
      set(slot, random.chance(0.5) ? [value] : { value })
    },
    dropKey: (root: { value: unknown }, random: Random) => {
      const slot = slotIn(root, random)
      if (Array.isArray(slot.holder)) slot.holder.splice(Number(slot.key), 1)
      else delete slot.holder[slot.key]
    },
    oddKey: (root: { value: unknown }, random: Random, raw: Raw) => {
      const slot = slotIn(root, random)
      const value = (slot.holder as Record<string, unknown>)[slot.key]
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        Object.defineProperty(value, random.pick(oddKeys), {
          value: replacements(random, raw),
          enumerable: true,
          configurable: true,
          writable: true
        })
      }
    },
    duplicate: (root: { value: unknown }, random: Random) => {
      const slot = slotIn(root, random)
      const value = (slot.holder as Record<string, unknown>)[slot.key]
      if (Array.isArray(value) && value.length > 0) {
        for (let n = random.pick([1, 100, 2000]); n > 0; n--) value.push(value[random.int(value.length)])
      }
    }
  }).map(([name, change]): [string, Mutator] => [
    name,
    (body, random) => {
      let value: unknown
      try {
        value = JSON.parse(decoder.decode(body))
      } catch {
        return body
      }
      // JSON.stringify recurses: how deep it gets depends on the thread's stack, and bodies must be the
      // same in a worker as in a test. A body nested that deep keeps its structure.
      if (deepestPath(value, maxWritableDepth) !== undefined) return body
      const root = { value }
      const raw = new Raw()
      change(root, random, raw)
      try {
        return raw.write(root.value)
      } catch (error) {
        // Changes stacked on a large body can outgrow the longest string V8 can build.
        if (error instanceof RangeError) return body
        throw error
      }
    }
  ])
)

const lines = (body: Uint8Array) => decoder.decode(body).split("\n")

const csvCells = (random: Random) =>
  random.pick([
    '"',
    '""',
    'a"b',
    '"open',
    '"closed"x',
    ",,,,",
    "\r",
    "\r\r\n",
    "\u0000",
    "1e999",
    "-0",
    "true",
    "\ud800",
    "\ufeff",
    `"${"x".repeat(longLength(random))}"`,
    "y".repeat(longLength(random)),
    `"multi\nline\r\nfield"`
  ])

/**
 * The CSV structure mutators, by name.
 */
const csvMutators: Readonly<Record<string, Mutator>> = {
  oddCell: (body, random) => {
    const rows = lines(body)
    const at = random.int(rows.length)
    const cells = rows[at]!.split(",")
    cells[random.int(cells.length)] = csvCells(random)
    rows[at] = cells.join(",")
    return encoder.encode(rows.join("\n"))
  },
  extraCells: (body, random) => {
    const rows = lines(body)
    const at = random.int(rows.length)
    rows[at] = `${rows[at]}${",".repeat(1 + random.int(random.chance(0.1) ? 100_000 : 5))}`
    return encoder.encode(rows.join("\n"))
  },
  shuffleLines: (body, random) => {
    const rows = lines(body)
    const [from, to] = [random.int(rows.length), random.int(rows.length)]
    if (random.chance(0.5)) rows.splice(from, 1)
    else rows.splice(to, 0, rows[from]!)
    return encoder.encode(rows.join("\n"))
  },
  header: (body, random) => {
    const rows = lines(body)
    const cells = rows[0]!.split(",")
    cells[random.int(cells.length)] = random.pick(["__proto__", cells[0]!, "", '"a,b"', "constructor"])
    rows[0] = cells.join(",")
    return encoder.encode(rows.join("\n"))
  },
  lineEnds: (body, random) =>
    encoder.encode(decoder.decode(body).replaceAll("\r\n", random.pick(["\n", "\r", "\r\r\n", "\n\n", ""])))
}

const structureOf: Readonly<Record<string, Readonly<Record<string, Mutator>>>> = {
  json: jsonMutators,
  csv: csvMutators,
  bytes: {}
}

// Past this, a body is not grown further: larger ones test memory, not the decoders.
const maxMutatedBytes = 32 * 1024 * 1024

/**
 * A mutated body for a target of `format`: a seed, through one to three mutations (structure first, bytes
 * after, as a byte mutation mostly breaks the structure).
 */
export const mutate = (
  seeds: ReadonlyArray<Uint8Array>,
  format: "json" | "csv" | "bytes",
  random: Random
): Uint8Array => {
  const structure = Object.values(structureOf[format]!)
  const byte = Object.values(byteMutators)
  let body = random.pick(seeds)
  const count = 1 + random.int(3)
  for (let n = 0; n < count && body.byteLength <= maxMutatedBytes; n++) {
    const pool = structure.length > 0 && random.chance(n === 0 ? 0.7 : 0.3) ? structure : byte
    body = random.pick(pool)(body, random, seeds)
  }
  return body
}
