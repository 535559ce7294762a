import { Result, Schema } from "effect"

/** The strings that `parse` accepts, for configs; a rejected one fails with `parse`'s reason. */
export const accepted = (parse: (text: string) => Result.Result<unknown, string>) =>
  Schema.String.check(
    Schema.makeFilter((text: string) =>
      Result.match(parse(text), { onFailure: (reason) => reason, onSuccess: () => true })
    )
  )
