/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL), for tests of a database that goes
 * silent or drops its connections: it forwards until told to `freeze` (accept and read, forward
 * nothing, answer nothing) or `drop` (reset every connection).
 */
import * as net from "node:net"

export interface Proxy {
  /** `127.0.0.1:<port>` */
  readonly host: string
  /** Bytes forwarded from the server to clients so far. */
  readonly bytesFromServer: () => number
  /** From now on, nothing is forwarded either way; connections stay open, new ones are accepted. */
  readonly freeze: () => void
  /** Resolves when a client sends something the frozen proxy will never answer. */
  readonly unanswered: () => Promise<void>
  /** Resets the next connection whose client sends `text`, as it sends it. */
  readonly dropOn: (text: string) => void
  /** Resets every open connection; new ones are still forwarded. */
  readonly drop: () => void
  readonly close: () => Promise<void>
}

export const start = (target: { readonly host: string; readonly port: number }): Promise<Proxy> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>()
    let frozen = false
    let fromServer = 0
    let dropText: string | undefined
    const waiting = new Set<() => void>()
    const server = net.createServer((client) => {
      const upstream = net.connect(target)
      sockets.add(client)
      sockets.add(upstream)
      const forget = () => {
        sockets.delete(client)
        sockets.delete(upstream)
      }
      client.on("data", (chunk) => {
        if (dropText !== undefined && chunk.includes(dropText)) {
          dropText = undefined
          client.resetAndDestroy()
          upstream.destroy()
          return
        }
        if (!frozen) return upstream.write(chunk)
        for (const wake of waiting) wake()
        waiting.clear()
      })
      upstream.on("data", (chunk) => {
        if (frozen) return
        fromServer += chunk.length
        client.write(chunk)
      })
      client.on("error", () => upstream.destroy())
      upstream.on("error", () => client.destroy())
      client.on("close", () => {
        upstream.destroy()
        forget()
      })
      upstream.on("close", () => {
        // A frozen proxy hides even the server going away.
        if (!frozen) client.destroy()
        forget()
      })
    })
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      resolve({
        host: `127.0.0.1:${port}`,
        bytesFromServer: () => fromServer,
        freeze: () => {
          frozen = true
        },
        unanswered: () => new Promise<void>((resolve) => waiting.add(resolve)),
        dropOn: (text) => {
          dropText = text
        },
        drop: () => {
          for (const socket of sockets) socket.resetAndDestroy()
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })
