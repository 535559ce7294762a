/**
 * Entities of a defined source as feed events: the envelope, the provenance and the key are core's.
 */
import { type DateTime, Effect, Result } from "effect"
import * as Feed from "../Feed.ts"
import type { Client } from "../Http.ts"
import type { DecodeError } from "../SourceError.ts"

/** An entity as a connector maps it: its key (one value, or the parts of a composite key) and its data. */
export interface Entity<K extends Feed.EntityKind> {
  readonly key: string | ReadonlyArray<string>
  readonly data: Feed.EventOf<K>["data"]
}

/** What every event of one body, or one file, shares. */
export interface Origin {
  readonly source: string
  readonly stream: string
  readonly client: Client
  readonly url: string
  readonly sha256: string
  readonly observedAt: DateTime.Utc
}

/**
 * The event of `entity`. Each key part is encoded with `Feed.keyPart` and the parts joined by `/`, so that
 * no value from upstream can make two keys alike; a part that is not well-formed text is a `DecodeError`.
 */
export const toEvent = <K extends Feed.EntityKind>(
  kind: K,
  origin: Origin,
  entity: Entity<K>,
  row?: number
): Effect.Effect<Feed.EventOf<K>, DecodeError> => {
  const parts = typeof entity.key === "string" ? [entity.key] : entity.key
  const encoded: Array<string> = []
  for (const part of parts) {
    const result = Feed.keyPart(part)
    if (Result.isFailure(result)) {
      return Effect.fail(
        origin.client.decodeError({ url: origin.url, row, detail: `the key ${result.failure}`, input: part })
      )
    }
    encoded.push(result.success)
  }
  return Effect.succeed(
    Feed.makeEvent({
      source: origin.source,
      stream: origin.stream,
      kind,
      key: encoded.join("/"),
      observedAt: origin.observedAt,
      provenance: origin.client.provenance(origin),
      data: entity.data
    })
  )
}
