/**
 * The two store backends every store test runs against: a fresh SQLite file, and a fresh schema in the
 * PostgreSQL server on 127.0.0.1:5432 (CI always has one; elsewhere the PostgreSQL tests say why they are
 * skipped).
 */
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"

export const postgresUrl = process.env["ELECTFEED_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/** Whether a server takes connections at `url` within a second (`fallbackPort` when the URL has none). */
export const answers = (url: string, fallbackPort = 5432) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = net.connect({ host: hostname, port: Number(port || fallbackPort) })
    socket.setTimeout(1000)
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
    socket.once("timeout", () => {
      socket.destroy()
      resolve(false)
    })
  })

export const postgresAvailable = await answers(postgresUrl)

export const skipReason = `no PostgreSQL answered at ${new URL(postgresUrl).host} (set ELECTFEED_TEST_PG_URL to run these tests)`

let counter = 0
const created: Array<string> = []

/** A temporary folder, removed by {@link cleanUp}. */
export const tempDirectory = (purpose: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `electfeed-${purpose}-`))
  created.push(dir)
  return dir
}

/** Removes the folders this process created. */
export const removeTestFiles = () => {
  for (const directory of created.splice(0)) fs.rmSync(directory, { recursive: true, force: true })
}

/** A store location of its own for one test. */
export const freshStore = (backend: "sqlite" | "postgres"): { readonly url: string; readonly schema?: string } => {
  counter++
  if (backend === "sqlite") {
    return { url: path.join(tempDirectory("store"), "feed.db") }
  }
  return { url: postgresUrl, schema: `electfeed_test_${process.pid}_${Date.now().toString(36)}_${counter}` }
}

/** Drops the PostgreSQL schemas this process created. */
export const dropTestSchemas = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ name: string }>`
    SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE ${`electfeed_test_${process.pid}_%`}`
  for (const { name } of rows) yield* sql.unsafe(`DROP SCHEMA "${name}" CASCADE`)
}).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl) })), Effect.orDie)

export const backends = [
  { name: "sqlite" as const, available: true, reason: "" },
  { name: "postgres" as const, available: postgresAvailable, reason: skipReason }
]

/** For `afterAll`: removes what this test file created in both backends. */
export const cleanUp = async () => {
  removeTestFiles()
  if (postgresAvailable) await Effect.runPromise(dropTestSchemas)
}

/** The number of rows in each of `tables`. */
export const rowCounts = <const Tables extends ReadonlyArray<string>>(...tables: Tables) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const counts: Record<string, number> = {}
    for (const table of tables) {
      const [row] = yield* sql.unsafe<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`)
      counts[table] = Number(row!.n)
    }
    return counts as { readonly [K in Tables[number]]: number }
  })
