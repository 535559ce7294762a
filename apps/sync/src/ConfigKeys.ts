/**
 * A source's config keys, read from its config schema (through its JSON Schema), for help texts, `init`
 * and turning command-line text into config values.
 *
 * @since 0.2.0
 */
import type { Source } from "@electfeed/core"
import { Schema } from "effect"

/**
 * One top-level key of a source's config.
 *
 * @since 0.2.0
 * @category models
 */
export interface ConfigKey {
  readonly name: string
  readonly required: boolean
  /** The value's type for people: `string`, `json|csv`, `list of string`, `object (limit, window)`. */
  readonly type: string
  /** Whether the value is a list. */
  readonly list: boolean
  /** Whether a value (an item, for a list) is taken as text; otherwise command-line text is read as JSON. */
  readonly text: boolean
  /** The texts a value (an item, for a list) may be, when the schema lists them. */
  readonly choices: ReadonlyArray<string> | undefined
  /** The schema's description of the key, if it has one. */
  readonly description: string | undefined
}

type Json = { readonly [key: string]: unknown }

const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

const enumOf = (schema: Json): ReadonlyArray<unknown> | undefined =>
  Array.isArray(schema["enum"]) ? schema["enum"] : undefined

const typeOf = (schema: Json): string => {
  const choices = enumOf(schema)
  if (choices !== undefined) return choices.map(String).join("|")
  if (schema["type"] === "array") return `list of ${isObject(schema["items"]) ? typeOf(schema["items"]) : "values"}`
  if (schema["type"] === "object" && isObject(schema["properties"])) {
    return `object (${Object.keys(schema["properties"]).join(", ")})`
  }
  if (typeof schema["type"] === "string") return schema["type"]
  return Array.isArray(schema["anyOf"])
    ? schema["anyOf"].map((alternative) => (isObject(alternative) ? typeOf(alternative) : "value")).join(" or ")
    : "value"
}

const textChoices = (schema: Json): ReadonlyArray<string> | undefined => {
  const choices = enumOf(schema)
  return choices?.every((choice) => typeof choice === "string") === true ? choices : undefined
}

/**
 * The top-level keys of `source`'s config, in the schema's order; none when the schema has no JSON
 * Schema form (a declared type, say).
 *
 * @since 0.2.0
 * @category reading
 */
export const of = (source: Source.Any): ReadonlyArray<ConfigKey> => {
  let document: unknown
  try {
    document = Schema.toJsonSchemaDocument(source.configSchema as Schema.Top).schema
  } catch {
    return []
  }
  if (!isObject(document) || !isObject(document["properties"])) return []
  const required = Array.isArray(document["required"]) ? document["required"] : []
  return Object.entries(document["properties"]).map(([name, property]): ConfigKey => {
    const schema = isObject(property) ? property : {}
    const list = schema["type"] === "array"
    const value = list && isObject(schema["items"]) ? schema["items"] : schema
    const choices = textChoices(value)
    return {
      name,
      required: required.includes(name),
      type: typeOf(schema),
      list,
      text: value["type"] === "string" || choices !== undefined,
      choices,
      description: typeof schema["description"] === "string" ? schema["description"] : undefined
    }
  })
}
