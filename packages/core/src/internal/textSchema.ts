import { Effect, Schema, SchemaGetter, SchemaIssue } from "effect"

/**
 * Upstream text quoted in a message, cut to its first 80 characters: a field can be megabytes long, and a
 * message is read by people and stored with every error.
 */
export const quote = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)

/**
 * A schema from text to `to`, by `read` (`undefined`: not such text). A failure is a schema issue that
 * says what was expected and quotes the text. It encodes with `write`, and refuses to without one.
 */
export const fromText = <To extends Schema.Top>(
  to: To,
  expected: string,
  read: (text: string) => To["Encoded"] | undefined,
  write?: (value: To["Encoded"]) => string
) =>
  Schema.String.pipe(
    Schema.decodeTo(to, {
      decode: SchemaGetter.transformEffect((text: string, options) => {
        const value = read(text)
        return value === undefined
          ? Effect.fail(
              new SchemaIssue.InvalidValue({ message: `expected ${expected}, got ${quote(text)}` }, text, options)
            )
          : Effect.succeed(value)
      }),
      encode:
        write === undefined
          ? SchemaGetter.forbidden(() => `${expected} is read, never written`)
          : SchemaGetter.transform(write)
    })
  )
