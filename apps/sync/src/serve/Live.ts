/**
 * Live changes for many clients from one follower of the store: the server follows the store's change
 * feed once (one PostgreSQL `LISTEN`, or one SQLite poll) and hands each change, encoded once as a
 * server-sent event, to every connected client.
 *
 * A client resuming after a seq first gets the stored changes after it, then the live ones: it is
 * subscribed before the stored ones are read and skips what it already had, so no change is lost or
 * repeated in between. A client that falls too far behind is let go (its stream ends): its browser
 * reconnects with the last seq it had and resumes from the store.
 *
 * @since 0.2.0
 */
import { type Cause, Context, Duration, Effect, Layer, Queue, Schedule, Schema, Stream } from "effect"
import { Sse } from "effect/encoding"
import * as Results from "../Results.ts"
import { Store, type StoredChange, type StoreError } from "../store/Store.ts"
import { ChangeMessage } from "./Api.ts"
import { Queries } from "./Queries.ts"

/**
 * A change ready to send: its seq and its server-sent event's bytes.
 *
 * @since 0.2.0
 * @category models
 */
export interface Outgoing {
  /** Undefined for what is not a change (the `retry` field, a keep-alive comment). */
  readonly seq: number | undefined
  readonly bytes: Uint8Array
}

/**
 * What the live feed does.
 *
 * @since 0.2.0
 * @category models
 */
export interface LiveShape {
  /**
   * The changes after `since` (from now when undefined): the stored ones, then each one as it is
   * committed; first of all a `retry` field, once the client is subscribed.
   */
  readonly after: (since: number | undefined) => Stream.Stream<Outgoing, StoreError>
}

/** Changes a client may have waiting before it is let go. */
const backlog = 10_000

const encodeMessage = Schema.encodeSync(Schema.fromJsonString(ChangeMessage))
const text = new TextEncoder()

/**
 * The message of a change: the event, and for a contest its summary as the page shows it.
 *
 * @since 0.2.0
 * @category encoding
 */
export const message = (change: StoredChange): ChangeMessage => {
  const { event } = change
  return {
    seq: change.seq,
    committedAt: change.committedAt,
    event,
    ...(event.kind === "ContestResult" && event.change !== "removed"
      ? {
          contest: Results.summarize({
            source: event.source,
            key: event.key,
            contest: event.data,
            observedAt: event.observedAt,
            regressed: event.regressed === true
          })
        }
      : {})
  }
}

/**
 * A change as a server-sent `change` event with its seq as id.
 *
 * @since 0.2.0
 * @category encoding
 */
export const outgoing = (change: StoredChange): Outgoing => ({
  seq: change.seq,
  bytes: text.encode(
    Sse.encoder.write({ _tag: "Event", event: "change", id: String(change.seq), data: encodeMessage(message(change)) })
  )
})

const ready: Outgoing = {
  seq: undefined,
  bytes: text.encode(Sse.encoder.write(new Sse.Retry({ duration: Duration.seconds(2), lastEventId: undefined })))
}

/** Proxies drop a connection that says nothing for a minute or so: a comment every 20 seconds. */
const keepAlive: Outgoing = { seq: undefined, bytes: text.encode(": keep-alive\n\n") }

const make = Effect.gen(function* () {
  const store = yield* Store
  const queries = yield* Queries
  const subscribers = new Set<Queue.Queue<Outgoing, Cause.Done>>()
  let latest = yield* queries.lastSeq

  const send = (event: Outgoing) =>
    Effect.sync(() => {
      for (const queue of subscribers) {
        if (!Queue.offerUnsafe(queue, event)) {
          subscribers.delete(queue)
          Queue.endUnsafe(queue)
        }
      }
    })

  const publish = (change: StoredChange) =>
    Effect.suspend(() => {
      latest = change.seq
      return send(outgoing(change))
    })

  yield* send(keepAlive).pipe(Effect.repeat(Schedule.spaced("20 seconds")), Effect.forkScoped)

  // The follower goes on whatever happens to the store: a failure is told and it resumes after the last
  // change it handed out.
  yield* Effect.suspend(() => store.changes({ since: latest, follow: true }).pipe(Stream.runForEach(publish))).pipe(
    Effect.tapError((error) => Effect.logWarning(`live changes: ${error.message}; trying again`)),
    Effect.retry(Schedule.spaced("1 second")),
    Effect.forkScoped
  )

  const after = (since: number | undefined): Stream.Stream<Outgoing, StoreError> =>
    Stream.unwrap(
      Effect.gen(function* () {
        const queue = yield* Queue.bounded<Outgoing, Cause.Done>(backlog)
        yield* Effect.acquireRelease(
          Effect.sync(() => subscribers.add(queue)),
          () => Effect.sync(() => subscribers.delete(queue))
        )
        // Read after subscribing: a change committed from here on arrives through the queue.
        let sent = since ?? (yield* queries.lastSeq)
        const stored = since === undefined ? Stream.empty : store.changes({ since }).pipe(Stream.map(outgoing))
        const changes = Stream.concat(stored, Stream.fromQueue(queue)).pipe(
          Stream.filter(({ seq }) => {
            if (seq === undefined) return true
            if (seq <= sent) return false
            sent = seq
            return true
          })
        )
        // First, once subscribed: how long a browser waits before reconnecting. It tells a client the
        // stream is live from here.
        return Stream.concat(Stream.make(ready), changes)
      })
    )

  return Live.of({ after })
})

/**
 * The live feed of the store the app has open.
 *
 * @since 0.2.0
 * @category services
 */
export class Live extends Context.Service<Live, LiveShape>()("@electfeed/sync/serve/Live") {
  /** Starts following the store; stops with the layer's scope. */
  static readonly layer: Layer.Layer<Live, StoreError, Store | Queries> = Layer.effect(Live, make)
}
