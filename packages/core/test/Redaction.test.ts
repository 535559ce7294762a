import { assert, describe, it } from "@effect/vitest"
import { Redacted } from "effect"
import { Redaction } from "../src/index.ts"

describe("Redaction", () => {
  it("drops signatures, keys and user info from URLs, keeping the rest", () => {
    assert.strictEqual(
      Redaction.redactUrl(
        "https://bucket.s3.amazonaws.com/results_1253.json?AWSAccessKeyId=AKIA&Expires=1700000000&Signature=abc%2B&format=json"
      ),
      "https://bucket.s3.amazonaws.com/results_1253.json?format=json"
    )
    assert.strictEqual(
      Redaction.redactUrl("https://user:pw@api.example/x?X-Amz-Signature=1&X-Amz-Credential=2&api_key=3&page=2"),
      "https://api.example/x?page=2"
    )
    assert.strictEqual(Redaction.redactUrl("/relative?token=abc"), "/relative")
  })

  it("masks secrets in excerpts, also where the excerpt cuts one in two", () => {
    const key = Redacted.make("k3y-VALUE-123")
    const body = `{"error":"invalid key k3y-VALUE-123 for account"}`
    assert.strictEqual(Redaction.excerpt(body, { secrets: [key] }), '{"error":"invalid key <redacted> for account"}')
    const cut = Redaction.excerpt(body, { secrets: [key], max: 26 })
    assert.notInclude(cut, "k3y")
    assert.include(cut, "<redacted>")
    const long = "x".repeat(500) + "k3y-VALUE-123" + "y".repeat(500)
    const middle = Redaction.excerpt(long, { offset: 505, secrets: [key], max: 20 })
    // Characters 495 to 515: five x, the 13-character secret, two y.
    assert.strictEqual(middle, "…xxxxx<redacted>yy…")
  })

  it("keeps excerpts short and on one line", () => {
    const excerpt = Redaction.excerpt(`line one\nline two\t${"z".repeat(400)}`)
    assert.isAtMost(excerpt.length, 121)
    assert.notInclude(excerpt, "\n")
  })
})
