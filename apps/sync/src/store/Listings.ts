/**
 * Which entities a snapshot no longer lists, for `removed` changes.
 *
 * A snapshot stream emits every entity of a new body, then a checkpoint holding, per request, the hash
 * of the body it read last. So a checkpoint whose hash for a request differs from the stored one says
 * that a new body was read completely, and that every entity it lists came before it, possibly spread
 * over several batches. The writer notes the keys each body lists (by its URL and hash) as its events
 * pass, and when such a checkpoint comes, the entities last given by that URL that no key of the stream
 * read since the read began names are the removed ones.
 *
 * Sound by construction: nothing is removed before the checkpoint that proves the body complete, a body
 * that lists nothing removes nothing (an empty answer is more likely a glitch than every contest
 * withdrawn), a key given by another request of the stream in the same read is never removed, and only
 * snapshot checkpoints count: a bulk stream never removes. A writer that dies loses only these notes;
 * its successor reads the body again from the stored checkpoint, which predates it.
 *
 * @since 0.2.0
 */
import type { Feed } from "@electfeed/core"
import { Option, Schema } from "effect"

// The part of core's snapshot checkpoint the store relies on: per request, the hash of the body read last.
const SnapshotState = Schema.Struct({
  _tag: Schema.Literal("Snapshot"),
  requests: Schema.Record(Schema.String, Schema.Struct({ sha256: Schema.String }))
})
const decodeSnapshot = Schema.decodeUnknownOption(SnapshotState)

interface Listing {
  readonly stream: string
  readonly url: string
  readonly sha256: string
  readonly provenance: Feed.Provenance
  readonly observedAt: string
  readonly keys: Set<string>
}

/**
 * A body read completely, with what it is compared against.
 *
 * @since 0.2.0
 * @category models
 */
export interface Completed {
  readonly stream: string
  /** The URL that gave the entities it may have dropped. */
  readonly url: string
  /** The body's own provenance and time: the evidence of the removal. */
  readonly provenance: Feed.Provenance
  readonly observedAt: string
  /** Every key of the stream listed since the read began: none of them is removed. */
  readonly listed: ReadonlySet<string>
}

/**
 * What the listings do.
 *
 * @since 0.2.0
 * @category models
 */
export interface Listings {
  /** Forgets what `source` listed: a new read of it begins. */
  readonly reset: (source: string) => void
  /** Notes that `event` was listed by its body. */
  readonly listed: (source: string, event: Feed.FeedEvent) => void
  /** The bodies of `stream` that the checkpoint `next` proves read completely (the stored one is `previous`). */
  readonly complete: (source: string, stream: string, previous: unknown, next: unknown) => ReadonlyArray<Completed>
}

/**
 * The listings of one writer, in memory.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (): Listings => {
  const bodies = new Map<string, Map<string, Listing>>()
  const seen = new Map<string, Map<string, Set<string>>>()
  const of = <A>(map: Map<string, A>, key: string, empty: () => A): A => {
    const found = map.get(key)
    if (found !== undefined) return found
    const made = empty()
    map.set(key, made)
    return made
  }
  // The sets the last event went to: the events of one body come in a row, with one provenance.
  let last:
    | {
        readonly source: string
        readonly stream: string
        readonly provenance: Feed.Provenance
        readonly keys: Set<string>
        readonly seen: Set<string>
      }
    | undefined
  const forgetStream = (source: string, stream: string) => {
    last = undefined
    seen.get(source)?.delete(stream)
    const listings = bodies.get(source)
    if (listings === undefined) return
    for (const [id, listing] of listings) if (listing.stream === stream) listings.delete(id)
  }
  return {
    reset: (source) => {
      last = undefined
      bodies.delete(source)
      seen.delete(source)
    },
    listed: (source, event) => {
      if (last?.source === source && last.stream === event.stream && last.provenance === event.provenance) {
        last.keys.add(event.key)
        last.seen.add(event.key)
        return
      }
      const { sha256, url } = event.provenance
      const id = JSON.stringify([event.stream, url, sha256])
      const listing = of(bodies, source, () => new Map<string, Listing>())
      const { keys } = of(listing, id, () => ({
        stream: event.stream,
        url,
        sha256,
        provenance: event.provenance,
        observedAt: event.observedAt,
        keys: new Set<string>()
      }))
      const streamSeen = of(
        of(seen, source, () => new Map<string, Set<string>>()),
        event.stream,
        () => new Set<string>()
      )
      keys.add(event.key)
      streamSeen.add(event.key)
      last = { source, stream: event.stream, provenance: event.provenance, keys, seen: streamSeen }
    },
    complete: (source, stream, previous, next) => {
      const state = decodeSnapshot(next)
      if (Option.isNone(state)) {
        // Not a snapshot: its events are never compared, so they are not kept either.
        forgetStream(source, stream)
        return []
      }
      const before: Readonly<Record<string, { readonly sha256: string }>> = Option.match(decodeSnapshot(previous), {
        onNone: () => ({}),
        onSome: (stored) => stored.requests
      })
      const fresh = new Set(
        Object.entries(state.value.requests)
          .filter(([request, { sha256 }]) => before[request]?.sha256 !== sha256)
          .map(([, { sha256 }]) => sha256)
      )
      const listings = bodies.get(source)
      if (fresh.size === 0 || listings === undefined) return []
      const listed = seen.get(source)?.get(stream) ?? new Set<string>()
      const completed: Array<Completed> = []
      for (const [id, listing] of listings) {
        if (listing.stream !== stream || !fresh.has(listing.sha256)) continue
        listings.delete(id)
        last = undefined
        completed.push({
          stream,
          url: listing.url,
          provenance: listing.provenance,
          observedAt: listing.observedAt,
          listed
        })
      }
      return completed
    }
  }
}
