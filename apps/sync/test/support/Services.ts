/**
 * The machine's services beyond the store backends: Redis on 127.0.0.1:6379, PostgreSQL databases of
 * a test's own (a cluster's tables and a store together), and free TCP ports for runners.
 */
import * as net from "node:net"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { answers, postgresUrl } from "./Backends.ts"

export const redisUrl = process.env["ELECTFEED_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379"

export const redisAvailable = await answers(redisUrl, 6379)

const onServer = <A>(work: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* work(yield* SqlClient.SqlClient)
    }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl) })), Effect.orDie)
  )

/** A new, empty database on the test server, named `<prefix>_<pid>`; see {@link dropDatabase}. */
export const createDatabase = async (prefix: string) => {
  const name = `${prefix}_${process.pid}`
  await onServer((sql) =>
    Effect.andThen(
      sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      sql.unsafe(`CREATE DATABASE "${name}"`)
    )
  )
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString() }
}

/** Drops a database {@link createDatabase} made, closing whatever connections are left. */
export const dropDatabase = (name: string) =>
  onServer((sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))

/** A TCP port free on 127.0.0.1 right now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
