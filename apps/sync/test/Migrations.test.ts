import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { SourceError } from "@electfeed/core"
import { Effect, Redacted, Schema } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import * as Migrations from "../src/store/Migrations.ts"
import * as Sqlite from "../src/store/SqliteClient.ts"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore } from "./support/Backends.ts"

afterAll(cleanUp)

/** The store as the first release left it: the first migration only. */
const firstRelease = Migrator.make({})({
  loader: Migrator.fromRecord({ "0001_create_feed": Migrations.migrations["0001_create_feed"] }),
  table: Migrations.table
})

const malformed = (signature: string, row: number) =>
  JSON.stringify(
    Schema.encodeSync(SourceError.DecodeError)(
      new SourceError.DecodeError({
        source: "ballotpedia",
        url: `https://files.example/candidates.csv?X-Amz-Signature=${signature}`,
        row,
        detail: "Expected a whole number",
        excerpt: "12a"
      })
    )
  )

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `migrations on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      it.effect("a store of the first release keeps each malformed row once, and takes leases", () =>
        Effect.gen(function* () {
          const where = freshStore(backend.name)
          yield* Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            if (where.schema !== undefined) yield* sql.unsafe(`CREATE SCHEMA "${where.schema}"`)
            yield* firstRelease
            for (const error of [malformed("a", 41), malformed("b", 41), malformed("c", 41), malformed("a", 42)]) {
              yield* sql`INSERT INTO skipped_rows ${sql.insert({ source: "ballotpedia", observed_at: "2024-11-06T04:00:00.000Z", error })}`
            }
          }).pipe(
            Effect.provide(
              where.schema === undefined
                ? Sqlite.layer({ filename: where.url })
                : PgClient.layer({ url: Redacted.make(where.url), startupParameters: { search_path: where.schema } })
            )
          )
          yield* Effect.gen(function* () {
            const store = yield* Store
            assert.deepStrictEqual(
              (yield* store.skipped("ballotpedia")).map((e) => e.row),
              [41, 42]
            )
            assert.strictEqual(yield* store.withLease("ballotpedia")(Effect.succeed("held")), "held")
          }).pipe(Effect.provide(Store.layer(where)))
        })
      )
    }
  )
}
