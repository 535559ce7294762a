import { assert, describe, it } from "@effect/vitest"
import { Duration, Option, Schema } from "effect"
import { SourceError } from "../src/index.ts"

describe("SourceError", () => {
  const errors: Array<SourceError.SourceError> = [
    new SourceError.ConfigError({ source: "ca-sos", detail: "baseUrl must be an absolute http(s) URL" }),
    new SourceError.AuthError({ source: "ballotpedia", url: "https://api.example/getQueryList", status: 401 }),
    new SourceError.NotFound({ source: "ca-sos", url: "https://api.example/returns/nope" }),
    new SourceError.RateLimited({
      source: "ca-sos",
      url: "https://api.example/x",
      retryAfter: Option.some(Duration.seconds(2))
    }),
    new SourceError.Transient({
      source: "ca-sos",
      url: "https://api.example/x",
      reason: "server",
      status: 503,
      detail: "busy"
    }),
    new SourceError.DecodeError({
      source: "ca-sos",
      url: "https://api.example/x",
      path: "$.candidates[3].Votes",
      detail: "Expected a vote count",
      excerpt: "12a"
    }),
    new SourceError.UpstreamFailure({
      source: "ballotpedia",
      url: "https://api.example/x",
      upstreamMessage: "Invalid id"
    }),
    new SourceError.RequestRejected({ source: "ca-sos", url: "https://api.example/x", status: 400, excerpt: "bad" }),
    new SourceError.RateLimited({
      source: "ca-sos",
      url: "https://api.example/x",
      retryAfter: Option.some(Duration.minutes(30)),
      maxWait: Duration.minutes(5)
    }),
    new SourceError.RequestRejected({
      source: "ca-sos",
      url: "https://api.example/x",
      status: 307,
      excerpt: "redirected to https://elsewhere.example/x, another origin"
    })
  ]

  it("each error has a readable message naming the source and what went wrong", () => {
    const messages = errors.map((e) => e.message)
    assert.deepStrictEqual(messages, [
      "ca-sos: unusable configuration: baseUrl must be an absolute http(s) URL",
      "ballotpedia: the API refused the credentials (HTTP 401 from https://api.example/getQueryList)",
      "ca-sos: not found: https://api.example/returns/nope",
      "ca-sos: rate limited by https://api.example/x, retry after 2.0 s",
      "ca-sos: server failure (HTTP 503) at https://api.example/x: busy",
      'ca-sos: cannot decode https://api.example/x (at $.candidates[3].Votes): Expected a vote count near "12a"',
      "ballotpedia: the API reported a failure at https://api.example/x: Invalid id",
      "ca-sos: the API rejected the request (HTTP 400 from https://api.example/x): bad",
      "ca-sos: rate limited by https://api.example/x: the wait asked for (30 min) exceeds the 5 min allowed, " +
        "so the request is not retried",
      "ca-sos: the redirect was not followed (HTTP 307 from https://api.example/x): " +
        "redirected to https://elsewhere.example/x, another origin"
    ])
  })

  it("round-trips through its schema, for storage", () => {
    for (const error of errors) {
      const stored = JSON.parse(JSON.stringify(Schema.encodeSync(SourceError.SourceError)(error)))
      const back = Schema.decodeUnknownSync(SourceError.SourceError)(stored)
      assert.strictEqual(back._tag, error._tag)
      assert.strictEqual(back.message, error.message)
      assert.isTrue(SourceError.isSourceError(back))
    }
    assert.isFalse(SourceError.isSourceError(new Error("x")))
  })
})
