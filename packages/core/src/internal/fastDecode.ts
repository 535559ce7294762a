/**
 * Plain-function decoders for schemas decoded by the million (the cells of bulk rows), and the decoder of
 * a struct or record of such cells compiled from them.
 *
 * A fast decoder gives the value the schema would give, or {@link unsure} for anything it does not take
 * on itself: the schema then decodes that input, so a bad value is reported exactly as before, with its
 * path. It is registered on the schema's AST, so a schema derived from it (a refinement, a transformation)
 * has none of its own and is decoded by the schema.
 */
import { Schema, SchemaAST } from "effect"

/** What a fast decoder returns for an input it leaves to the schema. */
export const unsure: unique symbol = Symbol.for("@electfeed/core/Decoding/unsure")

export type Unsure = typeof unsure

export type Fast<A> = (input: unknown) => A | Unsure

const registry = new WeakMap<SchemaAST.AST, Fast<unknown>>()

/** Registers `fast` for `schema`, and for the schema as an optional key of a struct. */
export const register = <S extends Schema.Top>(schema: S, fast: Fast<S["Type"]>): S => {
  registry.set(schema.ast, fast)
  // `optionalKey` is memoized by AST: a struct's `Schema.optionalKey(schema)` has this very AST.
  registry.set(Schema.optionalKey(schema).ast, fast)
  return schema
}

const isRecord = (input: unknown): input is Readonly<Record<string, unknown>> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const isBare = (ast: SchemaAST.AST) =>
  ast.checks === undefined &&
  ast.encoding === undefined &&
  // Only some kinds of node have checks on their encoded side.
  !("encodingChecks" in ast && ast.encodingChecks !== undefined)

const struct = (ast: SchemaAST.Objects): Fast<unknown> | undefined => {
  const names: Array<string> = []
  const fields: Array<Fast<unknown>> = []
  const optional: Array<boolean> = []
  for (const property of ast.propertySignatures) {
    const fast = typeof property.name === "string" && property.name !== "__proto__" ? of(property.type) : undefined
    if (fast === undefined) return undefined
    names.push(property.name as string)
    fields.push(fast)
    optional.push(SchemaAST.isOptional(property.type))
  }
  // Without optional keys every output has all the keys: a copy of an object that has them keeps one
  // shape and is allocated once, where keys added one by one grow the object again and again.
  const template = optional.includes(true) ? undefined : Object.fromEntries(names.map((name) => [name, undefined]))
  return (input) => {
    if (!isRecord(input)) return unsure
    const out: Record<string, unknown> = template === undefined ? {} : { ...template }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      const cell = input[name]
      // The schema reads a key that is `in` the input, inherited or not, as this does; an absent key is
      // skipped when optional, and anything else `undefined` is the schema's.
      if (cell === undefined) {
        if (optional[i] && !(name in input)) continue
        return unsure
      }
      const value = fields[i]!(cell)
      if (value === unsure) return unsure
      out[name] = value
    }
    return out
  }
}

const record = (ast: SchemaAST.Objects): Fast<unknown> | undefined => {
  const [index, ...more] = ast.indexSignatures
  if (index === undefined || more.length > 0 || !SchemaAST.isString(index.parameter) || !isBare(index.parameter)) {
    return undefined
  }
  const fast = of(index.type)
  if (fast === undefined) return undefined
  return (input) => {
    if (!isRecord(input)) return unsure
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(input)) {
      // Setting `__proto__` would set the prototype: the schema defines it as a property instead.
      if (key === "__proto__") return unsure
      const value = fast(input[key])
      if (value === unsure) return unsure
      out[key] = value
    }
    return out
  }
}

const compiled = new WeakMap<SchemaAST.AST, Fast<unknown> | null>()

/**
 * The fast decoder of `ast`: its own, or one compiled for a struct whose every property, or a record
 * (string keys) whose values, have one. `undefined` when there is none.
 */
export const of = (ast: SchemaAST.AST): Fast<unknown> | undefined => {
  const own = registry.get(ast)
  if (own !== undefined) return own
  let fast = compiled.get(ast)
  if (fast === undefined) {
    fast = null
    if (SchemaAST.isObjects(ast) && isBare(ast) && ast.context === undefined) {
      if (ast.indexSignatures.length === 0) fast = struct(ast) ?? null
      else if (ast.propertySignatures.length === 0) fast = record(ast) ?? null
    }
    compiled.set(ast, fast)
  }
  return fast ?? undefined
}
