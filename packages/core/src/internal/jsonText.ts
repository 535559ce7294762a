import { Effect, Schema, SchemaIssue } from "effect"

/** JSON path notation for a schema issue's path: `$.candidates[3].Votes`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  "$" +
  path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(String(key))}]`
    )
    .join("")

const standardIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** The first problem of a schema failure, as a path and a message. */
export const firstIssue = (
  issue: SchemaIssue.Issue
): { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } => {
  const [first] = standardIssues(issue).issues
  return first === undefined
    ? { path: [], message: SchemaIssue.makeFormatterDefault()(issue) }
    : { path: (first.path ?? []).map((p) => (typeof p === "object" ? p.key : p)), message: first.message }
}

const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (current, key) => (current !== null && typeof current === "object" ? (current as any)[key] : undefined),
    value
  )

/**
 * Parses JSON text and decodes it with `schema`. On failure, `onError` gets what went wrong, the offset
 * in the text where it can be seen, and the JSON path of the value.
 */
export const decodeJsonText = <S extends Schema.Top, E>(
  schema: S,
  text: string,
  onError: (detail: string, offset: number, path: string | undefined) => E
): Effect.Effect<S["Type"], E, S["DecodingServices"]> =>
  Effect.suspend(() => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      const position = /position (\d+)/.exec(message)
      return Effect.fail(onError(`not valid JSON: ${message}`, position ? Number(position[1]) : 0, undefined))
    }
    return Schema.decodeUnknownEffect(schema)(parsed).pipe(
      Effect.mapError((error) => {
        const { message, path } = firstIssue(error.issue)
        const found = valueAt(parsed, path)
        const offset = typeof found === "string" ? Math.max(0, text.indexOf(JSON.stringify(found))) : 0
        return onError(message, offset, formatPath(path))
      }),
      // A schema that recurses into the value can run out of stack on a body nested 100,000 deep.
      Effect.catchDefect((defect) =>
        defect instanceof RangeError
          ? Effect.fail(onError(`the value cannot be decoded: ${defect.message}`, 0, undefined))
          : Effect.die(defect)
      )
    )
  })
