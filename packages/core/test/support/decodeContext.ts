/** What `Decoding`'s decoders need to report a bad row: a client that makes located `DecodeError`s, and a URL. */
import { SourceError } from "../../src/index.ts"

const client = {
  decodeError: (fields: {
    readonly url: string
    readonly detail: string
    readonly input: string
    readonly row?: number | undefined
    readonly column?: string | undefined
  }) =>
    new SourceError.DecodeError({
      source: "test",
      url: fields.url,
      detail: fields.detail,
      excerpt: fields.input,
      ...(fields.row === undefined ? {} : { row: fields.row }),
      ...(fields.column === undefined ? {} : { column: fields.column })
    })
}

export const context = { client, url: "https://files.example/data" }
