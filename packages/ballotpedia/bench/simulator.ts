/**
 * The benchmark's file host, in a process of its own so that its work does not count towards the
 * reader's CPU or memory. It writes the Candidates file of the given size in both formats to disk first
 * (the generator's rows, as the test simulator serves them), then serves the two API calls the source
 * makes and the files from disk, as S3 does: no generation during the timed reads.
 *
 * Started by `index.ts` with the number of rows; answers with its URL, key and file sizes.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { pipeline } from "node:stream/promises"
import { Generator, Simulator } from "../src/testing/index.ts"

const rows = Number(process.argv[2])
const dataset = "1253"
const apiKey = Simulator.defaultApiKey
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-bench-files-"))
const formats = ["json", "csv"] as const
const table = Generator.candidates(rows)

const sizes: Record<string, number> = {}
for (const format of formats) {
  const file = path.join(directory, `${dataset}.${format}`)
  await pipeline(Generator.file(table, format).bytes(0), fs.createWriteStream(file))
  sizes[format] = fs.statSync(file).size
}

const json = (response: http.ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1")
  const file = /^\/files\/metabase_query_results_1253\.(json|csv)$/.exec(url.pathname)
  if (file !== null) {
    const where = path.join(directory, `${dataset}.${file[1]}`)
    response.writeHead(200, {
      "content-type": file[1] === "json" ? "application/json" : "text/csv",
      "content-length": String(sizes[file[1]!]),
      etag: `"${rows}-${file[1]}"`
    })
    fs.createReadStream(where).pipe(response)
    return
  }
  if (request.headers["x-api-key"] !== apiKey) return json(response, 403, { message: "Forbidden" })
  if (url.pathname === "/getQueryList") {
    return json(response, 200, {
      success: true,
      data: [{ id: dataset, title: "Candidates", description: null }],
      message: null
    })
  }
  let body = ""
  request.setEncoding("utf8")
  request.on("data", (piece: string) => {
    body += piece
  })
  request.on("end", () => {
    const { format } = JSON.parse(body) as { format: string }
    const link = `${base}/files/metabase_query_results_${dataset}.${format}?Expires=9999999999&Signature=bench`
    json(response, 200, { success: true, data: { url: link }, message: "Success" })
  })
})
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
process.send!({ url: base, apiKey, sizes })
process.once("disconnect", () => {
  server.close()
  server.closeAllConnections()
  fs.rmSync(directory, { recursive: true, force: true })
})
