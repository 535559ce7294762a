/**
 * PostgreSQL connections that do not wait for ever. A database (or a proxy, or a half-dead network
 * path) can keep a connection open and never answer; the SQL client then waits for ever, and it runs
 * `BEGIN`, `COMMIT` and `ROLLBACK` where no interruption reaches them. So the store makes the sockets
 * itself: a socket that sent a statement and heard nothing back for `silence` is destroyed, which
 * fails the statement on it, and a stopping app can destroy at once every socket still waiting.
 *
 * An answer is complete when it ends with `ReadyForQuery`. A connection that turns to TLS passes
 * beneath this watch (its bytes cannot be read here): there, only the store's own time limit on each
 * call applies.
 *
 * @since 0.1.0
 */
import * as net from "node:net"
import type { Duplex } from "node:stream"
import { Duration, Effect } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface Watchdog {
  /** Opens a watched socket: for the `stream` option of `PgClient`. */
  readonly connect: () => Duplex
  /** Destroys every socket waiting for an answer, failing the statements on them. */
  readonly abandon: Effect.Effect<void>
}

/** `ReadyForQuery`: `Z`, length 5, and the transaction status (`I`dle, in `T`ransaction, `E`rror). */
const endsWithReadyForQuery = (chunk: Buffer) => {
  const at = chunk.length - 6
  if (at < 0) return false
  const status = chunk[at + 5]
  return (
    chunk[at] === 0x5a && chunk.readUInt32BE(at + 1) === 5 && (status === 0x49 || status === 0x54 || status === 0x45)
  )
}

/**
 * Watched sockets to `target`; `what` names the database in the error of a destroyed socket.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  target: { readonly host: string; readonly port: number },
  silence: Duration.Duration,
  what: string
): Watchdog => {
  const waiting = new Set<net.Socket>()
  const millis = Duration.toMillis(silence)
  const connect = () => {
    const socket = net.connect({ host: target.host, port: target.port, noDelay: true })
    let timer: NodeJS.Timeout | undefined
    let encrypted = false
    const disarm = () => {
      clearTimeout(timer)
      timer = undefined
      waiting.delete(socket)
    }
    const arm = () => {
      clearTimeout(timer)
      waiting.add(socket)
      timer = setTimeout(
        () => socket.destroy(new Error(`no answer from ${what} in ${Duration.format(silence)}`)),
        millis
      )
    }
    const write = socket.write.bind(socket) as (...args: Array<unknown>) => boolean
    socket.write = ((...args: Array<unknown>) => {
      if (timer === undefined && !encrypted) arm()
      return write(...args)
    }) as typeof socket.write
    socket.on("data", (chunk: Buffer) => {
      if (timer === undefined) return
      // The server's `S` to an SSLRequest: TLS from here on.
      encrypted = chunk.length === 1 && chunk[0] === 0x53
      if (encrypted || endsWithReadyForQuery(chunk)) disarm()
      else arm()
    })
    socket.on("close", disarm)
    return socket
  }
  const abandon = Effect.sync(() => {
    for (const socket of waiting) socket.destroy(new Error(`abandoned a statement ${what} did not answer`))
  })
  return { connect, abandon }
}
