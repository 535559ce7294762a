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

  it("drops every presigned-URL signature form, whatever the case of its names", () => {
    const cases: Array<readonly [string, string]> = [
      [
        "https://b.s3.amazonaws.com/f.json?x-amz-algorithm=AWS4-HMAC-SHA256&x-amz-credential=AKIA%2F2026&" +
          "x-amz-date=20261103T000000Z&x-amz-expires=300&x-amz-signedheaders=host&x-amz-signature=abc&v=2",
        "https://b.s3.amazonaws.com/f.json?v=2"
      ],
      [
        "https://storage.googleapis.com/b/f.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p&" +
          "X-Goog-Date=20261103T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=abc&alt=media",
        "https://storage.googleapis.com/b/f.csv?alt=media"
      ],
      [
        "https://storage.googleapis.com/b/f.csv?GoogleAccessId=sa%40p&Expires=1700000000&Signature=abc",
        "https://storage.googleapis.com/b/f.csv"
      ],
      [
        "https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-11-04T00:00:00Z&" +
          "st=2026-11-03T00:00:00Z&spr=https&sig=abc%3D&comp=list",
        "https://acct.blob.core.windows.net/c/f.csv?comp=list"
      ],
      [
        "https://api.example/x?sessionToken=1&RefreshTOKEN=2&userCredentials=3&MySignatureV2=4&st=keep",
        "https://api.example/x?st=keep"
      ]
    ]
    for (const [url, redacted] of cases) assert.strictEqual(Redaction.redactUrl(url), redacted)
  })

  it("scrubs signature-looking values out of excerpts, configured secrets or not", () => {
    const s3 =
      "<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId>" +
      "<SignatureProvided>sig-abc123</SignatureProvided><CanonicalRequest>GET /f.json " +
      "X-Amz-Credential=AKIAEXAMPLE%2F20261103&amp;X-Amz-Signature=sig-abc123</CanonicalRequest></Error>"
    const quoted = 'upstream failed for https://b/f.json?Expires=1&Signature=sig-abc123 ("access_token": "tok-456")'
    const nested = "next=https%3A%2F%2Fb%2Ff%3FSignature%3Dsig-abc123%26v%3D1"
    for (const body of [s3, quoted, nested]) {
      const excerpt = Redaction.excerpt(body, { max: 1000 })
      assert.notInclude(excerpt, "sig-abc123", excerpt)
      assert.notInclude(excerpt, "tok-456", excerpt)
      assert.include(excerpt, "<redacted>")
      assert.notInclude(Redaction.scrub(body, []), "sig-abc123")
    }
    assert.notInclude(Redaction.excerpt(s3, { max: 1000 }), "AKIAEXAMPLE")
    // Only values go: what kind of failure it was stays readable.
    assert.include(Redaction.excerpt(s3, { max: 1000 }), "SignatureDoesNotMatch")
    // A signature cut by the edge of the excerpt is masked too.
    const cut = Redaction.excerpt(`${"x".repeat(200)}?Signature=sig-abc123456789`, { offset: 230, max: 20 })
    assert.notInclude(cut, "sig-abc")
  })
})
