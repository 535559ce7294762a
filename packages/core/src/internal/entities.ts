/**
 * Entities of a defined source as feed events: the envelope, the provenance and the key are core's.
 */
import { DateTime, Effect, Result } from "effect"
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
 * The events of entities from one origin. What every event of the origin shares (`observedAt` as text,
 * the provenance, the key's prefix) is made once and shared, not once per entity. Each key part is
 * encoded with `Feed.keyPart` and the parts joined by `/`, so that no value from upstream can make two
 * keys alike; a part that is not well-formed text is a `DecodeError`. `prefix`, when given, is put before
 * the key as it is.
 */
export const eventsOf = <K extends Feed.EntityKind>(
  kind: K,
  origin: Origin,
  prefix?: string
): ((entity: Entity<K>, row?: number) => Effect.Effect<Feed.EventOf<K>, DecodeError>) => {
  const observedAt = DateTime.formatIso(origin.observedAt)
  const provenance = origin.client.provenance(origin)
  const start = prefix === undefined ? "" : `${prefix}/`
  return (entity, row) => {
    const parts = typeof entity.key === "string" ? [entity.key] : entity.key
    let key = start
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const result = Feed.keyPart(part)
      if (Result.isFailure(result)) {
        return Effect.fail(
          origin.client.decodeError({ url: origin.url, row, detail: `the key ${result.failure}`, input: part })
        )
      }
      key = i === 0 ? key + result.success : `${key}/${result.success}`
    }
    // The fields and their order are `Feed.makeEvent`'s.
    const event = { source: origin.source, stream: origin.stream, kind, key, observedAt, provenance, data: entity.data }
    // `EventOf<K>` is a union narrowed by `kind`, which a generic `K` cannot show.
    return Effect.succeed(event as unknown as Feed.EventOf<K>)
  }
}

/** The event of one `entity`: see {@link eventsOf}. */
export const toEvent = <K extends Feed.EntityKind>(
  kind: K,
  origin: Origin,
  entity: Entity<K>,
  row?: number
): Effect.Effect<Feed.EventOf<K>, DecodeError> => eventsOf(kind, origin)(entity, row)
