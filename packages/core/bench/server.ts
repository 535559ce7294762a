/**
 * The HTTP benchmark's server, in a process of its own so that its work is not counted as the client's
 * CPU: every request gets the same 16 kB JSON body. Answers with its URL.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

const body = Buffer.from(
  JSON.stringify({
    contests: Array.from({ length: 40 }, (_, i) => ({
      id: `c${i}`,
      title: `Contest ${i}`,
      votes: [i * 101, i * 97, i * 13]
    }))
  }).padEnd(16_000)
)
const server = http.createServer((_, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": String(body.byteLength) })
  response.end(body)
})
server.keepAliveTimeout = 60_000
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
process.once("disconnect", () => {
  server.close()
  server.closeAllConnections()
})
