import { assert, describe, it } from "@effect/vitest"
import { dependencyProblems, importedPackages } from "../peers.ts"

describe("peers", () => {
  it("finds the packages a compiled module imports by name", () => {
    const javascript = [
      'import { Effect } from "effect";',
      'import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient";',
      'import "side-effect";',
      'export { x } from "./x.js";',
      'import * as fs from "node:fs";',
      'const later = await import("fflate");',
      'import { Schema } from "effect";'
    ].join("\n")
    assert.deepStrictEqual(importedPackages(javascript), ["effect", "@effect/platform-node", "side-effect", "fflate"])
  })

  it("wants every import declared, and effect's packages as peers from the workspace's release", () => {
    const workspace = (name: string) => ({ effect: "4.1.0", "@effect/platform-node": "4.1.0" })[name]
    const imported = ["effect", "@effect/platform-node", "fflate", "@electfeed/core", "@acme/x"]
    assert.deepStrictEqual(
      dependencyProblems(
        {
          name: "@acme/x",
          dependencies: { fflate: "0.8.3", "@electfeed/core": "^0.1.0" },
          peerDependencies: { effect: "^4.1.0", "@effect/platform-node": "^4.1.0" }
        },
        imported,
        workspace
      ),
      []
    )
    assert.deepStrictEqual(
      dependencyProblems(
        {
          name: "@acme/x",
          dependencies: { effect: "4.1.0", "@electfeed/core": "^0.1.0" },
          peerDependencies: { effect: "^4.1.0", "@effect/platform-node": "^4.0.0" }
        },
        imported,
        workspace
      ),
      [
        "effect is both a dependency and a peer",
        "@effect/platform-node: the peer range ^4.0.0 is not ^4.1.0, from the release the workspace is tested with",
        "imports fflate, not declared"
      ]
    )
    assert.deepStrictEqual(
      dependencyProblems({ name: "@acme/x", dependencies: { effect: "4.1.0" } }, ["effect"], workspace),
      ["imports effect, not a peer dependency"]
    )
    const cli = { name: "@acme/cli", bin: { acme: "./dist/bin.js" }, dependencies: { effect: "4.1.0" } }
    assert.deepStrictEqual(dependencyProblems(cli, ["effect", "@effect/sql-pg"], workspace), [
      "imports @effect/sql-pg, not declared"
    ])
  })
})
