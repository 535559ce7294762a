/**
 * `electfeed serve` over a real store on both backends, through real HTTP on 127.0.0.1: every API
 * endpoint, the pages (with hostile strings escaped), and the change stream resumed with
 * `Last-Event-ID` while changes are being written, with no change lost or repeated.
 */
import { assert, describe, it } from "@effect/vitest"
import { Feed } from "@electfeed/core"
import { Context, DateTime, Effect, Layer, ManagedRuntime } from "effect"
import { Sse } from "effect/encoding"
import { afterAll, beforeAll } from "vitest"
import * as Server from "../src/serve/Server.ts"
import { Store } from "../src/store/Store.ts"
import { backends, cleanUp, freshStore } from "./support/Backends.ts"

afterAll(cleanUp)

class Url extends Context.Service<Url, string>()("test/Url") {}

const hostile = `<script>alert("x")</script> & 'quotes'`
const hostileName = `<img src=x onerror=alert(1)>`

let minute = 0
type Shape = {
  readonly key: string
  readonly title: string
  readonly kind?: "candidate" | "measure" | "retention"
  readonly party?: string
  readonly district?: string
  readonly county?: string
  readonly measure?: { readonly number: string; readonly title: string }
  readonly names?: ReadonlyArray<string>
}
/** A CA SOS contest event with these votes; each call is observed a minute after the last. */
const contest = (shape: Shape, votes: ReadonlyArray<number>, reporting: number) => {
  const total = votes.reduce((a, b) => a + b, 0) || 1
  const names =
    shape.names ?? (shape.kind === undefined || shape.kind === "candidate" ? ["Ada", "Ben", "Cy"] : ["Yes", "No"])
  return Feed.makeEvent({
    source: "ca-sos",
    stream: "contests",
    kind: "ContestResult",
    key: shape.key,
    observedAt: DateTime.makeUnsafe(Date.UTC(2024, 10, 6, 4, 0, 0) + ++minute * 60_000),
    provenance: {
      url: "https://api.sos.ca.gov/returns/x",
      sha256: "ab".repeat(32),
      connector: "@electfeed/ca-sos@0.1.0"
    },
    data: {
      contestId: null,
      title: shape.title,
      office: shape.title,
      contestKind: shape.kind ?? "candidate",
      jurisdiction: { state: "CA", county: shape.county ?? null, district: shape.district ?? null },
      party: shape.party ?? null,
      reporting: { precinctsReporting: reporting, precinctsTotal: 100, percent: reporting },
      updatedAt: null,
      selections: votes.map((v, i) => ({
        name: names[i]!,
        party: null,
        partyCode: null,
        votes: v,
        percent: Math.round((v / total) * 1000) / 10,
        incumbent: null
      })),
      ...(shape.measure === undefined ? {} : { measure: shape.measure })
    }
  })
}

const governor: Shape = { key: "02000000000059", title: "Governor - Statewide Results" }
const shapes: ReadonlyArray<Shape> = [
  governor,
  { key: "11000001000059", title: "President Democratic", party: "Democratic" },
  { key: "ballot-measures/measure/1", title: "Prop 1", kind: "measure", measure: { number: "1", title: "Bonds" } },
  { key: "us-rep/district/12", title: "U.S. House District 12", district: "12" },
  { key: "supreme-court/justice/Jane Roe", title: "Supreme Court: Jane Roe", kind: "retention" },
  { key: "governor/lake", title: "Governor", county: "Lake" },
  { key: "hostile", title: hostile, names: ["Plain", hostileName] }
]

const write = (events: ReadonlyArray<Feed.FeedEvent>) =>
  Effect.gen(function* () {
    const store = yield* Store
    return yield* store.write("ca-sos", { events, skipped: [], checkpoints: [] })
  })

interface Received {
  readonly id: string | undefined
  readonly data: { readonly seq: number; readonly event: Feed.FeedEvent; readonly contest?: { readonly label: string } }
}

/**
 * Reads the change stream until `until` says it has enough, then disconnects, as a browser does when
 * its connection drops.
 */
const readStream = async (
  url: string,
  headers: Record<string, string>,
  until: (received: ReadonlyArray<Received>) => boolean,
  /** Called once the server says the stream is live (its `retry` field comes first). */
  onLive: () => void = () => {}
): Promise<Array<Received>> => {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  assert.strictEqual(response.status, 200)
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/)
  const received: Array<Received> = []
  const parser = Sse.makeParser((event) => {
    if (event._tag === "Retry") onLive()
    else if (event.event === "change") received.push({ id: event.id, data: JSON.parse(event.data) })
  })
  const decoder = new TextDecoder()
  const reader = response.body!.getReader()
  // A guard against a hang, not a measure: a stream that says nothing for this long has nothing more.
  let quiet: ReturnType<typeof setTimeout> | undefined
  const silence = new Promise<{ done: true; value: undefined }>((resolve) => {
    quiet = setTimeout(() => resolve({ done: true, value: undefined }), 5_000)
  })
  try {
    while (!until(received)) {
      const { done, value } = await Promise.race([reader.read(), silence])
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
    }
  } finally {
    clearTimeout(quiet)
    controller.abort()
  }
  return received
}

const getJson = async (url: string) => {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as any }
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(
    `electfeed serve on ${backend.name}${backend.available ? "" : ` (skipped: ${backend.reason})`}`,
    () => {
      let runtime: ManagedRuntime.ManagedRuntime<Url | Store, unknown>
      let base: string
      const run = <A, E>(effect: Effect.Effect<A, E, Store | Url>) => runtime.runPromise(effect)

      beforeAll(async () => {
        runtime = ManagedRuntime.make(
          Layer.effect(Url, Server.start({ port: 0 })).pipe(Layer.provideMerge(Store.layer(freshStore(backend.name))))
        )
        base = await run(
          Effect.gen(function* () {
            return yield* Url
          })
        )
        // Two counts of every contest, the second with the governor's lead changing hands.
        await run(
          write(
            shapes.map((s) =>
              contest(
                s,
                [10, 20, 5].slice(0, s.names?.length ?? (s.kind === "measure" || s.kind === "retention" ? 2 : 3)),
                10
              )
            )
          )
        )
        await run(write([contest(governor, [300, 200, 100], 40)]))
      })
      afterAll(() => runtime?.dispose())

      it("GET /api/contests: every contest summed up, filtered and paged", async () => {
        const all = await getJson(`${base}/api/contests`)
        assert.strictEqual(all.status, 200)
        assert.strictEqual(all.body.total, shapes.length)
        const gov = all.body.contests.find((c: any) => c.key === governor.key)
        assert.deepStrictEqual(
          {
            group: gov.group,
            label: gov.label,
            leader: gov.leader.name,
            margin: gov.margin,
            reporting: gov.contest.reporting.percent
          },
          { group: "statewide", label: "Governor", leader: "Ada", margin: 16.7, reporting: 40 }
        )
        assert.deepStrictEqual(Object.fromEntries(all.body.contests.map((c: any) => [c.key, c.group])), {
          "02000000000059": "statewide",
          "11000001000059": "primaries",
          "ballot-measures/measure/1": "measures",
          "us-rep/district/12": "districts",
          "supreme-court/justice/Jane Roe": "retention",
          "governor/lake": "other",
          hostile: "statewide"
        })
        const governors = await getJson(`${base}/api/contests?office=GOVERNOR`)
        assert.deepStrictEqual(governors.body.contests.map((c: any) => c.key).sort(), [
          "02000000000059",
          "governor/lake"
        ])
        const lake = await getJson(`${base}/api/contests?county=lake`)
        assert.deepStrictEqual(
          lake.body.contests.map((c: any) => c.key),
          ["governor/lake"]
        )
        const measures = await getJson(`${base}/api/contests?kind=measure&source=ca-sos`)
        assert.deepStrictEqual(
          measures.body.contests.map((c: any) => c.key),
          ["ballot-measures/measure/1"]
        )
        const none = await getJson(`${base}/api/contests?source=elsewhere`)
        assert.deepStrictEqual([none.body.total, none.body.contests.length], [0, 0])
        // An office filter is text, not a pattern: `%` matches only a `%`.
        const percent = await getJson(`${base}/api/contests?office=%25`)
        assert.strictEqual(percent.body.total, 0)
        const pages = await Promise.all(
          [0, 3, 6].map((offset) => getJson(`${base}/api/contests?limit=3&offset=${offset}`))
        )
        assert.deepStrictEqual(
          pages.flatMap((p) => p.body.contests.map((c: any) => c.key)),
          all.body.contests.map((c: any) => c.key)
        )
        assert.deepStrictEqual(
          pages.map((p) => [p.body.total, p.body.limit, p.body.offset]),
          [
            [7, 3, 0],
            [7, 3, 3],
            [7, 3, 6]
          ]
        )
      })

      it("GET /api/contests rejects bad paging with a 400 naming the parameter", async () => {
        for (const query of ["limit=0", "limit=5000", "offset=-1", "kind=mayor", `office=${"x".repeat(300)}`]) {
          const response = await fetch(`${base}/api/contests?${query}`)
          assert.strictEqual(response.status, 400, query)
          const body = (await response.json()) as { _tag: string; location: string; message: string }
          assert.deepStrictEqual([body._tag, body.location], ["BadRequest", "query"], query)
          assert.match(body.message, new RegExp(query.split("=")[0]!), query)
        }
      })

      it("GET /api/contests/:key: the contest and its history as a time series, keys with slashes URL-encoded", async () => {
        const gov = await getJson(`${base}/api/contests/${encodeURIComponent(governor.key)}`)
        assert.strictEqual(gov.status, 200)
        assert.deepStrictEqual(
          gov.body.history.map((p: any) => [p.percentReporting, p.selections.map((s: any) => s.votes)]),
          [
            [10, [10, 20, 5]],
            [40, [300, 200, 100]]
          ]
        )
        const measure = await getJson(
          `${base}/api/contests/${encodeURIComponent("ballot-measures/measure/1")}?source=ca-sos`
        )
        assert.strictEqual(measure.body.contest.label, "Prop 1: Bonds")
        const missing = await getJson(`${base}/api/contests/nothing-here`)
        assert.deepStrictEqual(
          [missing.status, missing.body._tag, missing.body.key],
          [404, "ContestNotFound", "nothing-here"]
        )
        const otherSource = await getJson(`${base}/api/contests/${governor.key}?source=elsewhere`)
        assert.strictEqual(otherSource.status, 404)
      })

      it("GET /api/changes: the changes after a seq, in order, with the next seq to ask after", async () => {
        const first = await getJson(`${base}/api/changes?since=0&limit=5`)
        assert.strictEqual(first.status, 200)
        const seqs: Array<number> = first.body.changes.map((c: any) => c.seq)
        assert.strictEqual(seqs.length, 5)
        assert.deepStrictEqual(
          seqs,
          [...seqs].sort((a, b) => a - b)
        )
        assert.strictEqual(first.body.next, seqs.at(-1))
        const rest = await getJson(`${base}/api/changes?since=${first.body.next}`)
        const all = [...first.body.changes, ...rest.body.changes]
        assert.strictEqual(all.length, shapes.length + 1)
        const last = all.at(-1)
        assert.deepStrictEqual(
          [last.event.key, last.event.change, last.contest.leader.name],
          [governor.key, "changed", "Ada"]
        )
        const after = await getJson(`${base}/api/changes?since=${rest.body.next}`)
        assert.deepStrictEqual([after.body.changes, after.body.next], [[], rest.body.next])
      })

      it("GET /api/status: sources and the last seq", async () => {
        const status = await getJson(`${base}/api/status`)
        assert.strictEqual(status.status, 200)
        const changes = await getJson(`${base}/api/changes?since=0&limit=1000`)
        assert.strictEqual(status.body.lastSeq, changes.body.next)
        assert.deepStrictEqual(
          status.body.sources.map((s: any) => [s.source, s.entities]),
          [["ca-sos", shapes.length]]
        )
      })

      it("GET /api/openapi.json describes every endpoint", async () => {
        const doc = await getJson(`${base}/api/openapi.json`)
        assert.strictEqual(doc.status, 200)
        assert.deepStrictEqual(Object.keys(doc.body.paths).sort(), [
          "/api/changes",
          "/api/changes/stream",
          "/api/contests",
          "/api/contests/{key}",
          "/api/status"
        ])
      })

      it("the pages escape every upstream string and work without JavaScript", async () => {
        const page = await fetch(`${base}/`)
        assert.strictEqual(page.status, 200)
        const html = await page.text()
        assert.notInclude(html, "<script>alert")
        assert.notInclude(html, "<img src=x")
        assert.include(html, "&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;quotes&#39;")
        assert.include(html, "&#60;img src=x onerror=alert(1)&#62;")
        for (const heading of [
          "Statewide offices",
          "Presidential primaries",
          "Ballot measures",
          "District contests",
          "Judicial retention",
          "Counties and other contests"
        ]) {
          assert.include(html, `>${heading}</h2>`)
        }
        const hostilePage = await fetch(`${base}/contests/hostile?source=ca-sos`)
        const contestHtml = await hostilePage.text()
        assert.strictEqual(hostilePage.status, 200)
        assert.notInclude(contestHtml, "<img src=x")
        // The history embedded for the chart cannot close its script element.
        const opening = `<script type="application/json" id="history">`
        const embedded = contestHtml.slice(contestHtml.indexOf(opening) + opening.length)
        const json = embedded.slice(0, embedded.indexOf("</script>"))
        assert.notInclude(json, "<")
        assert.include(JSON.stringify(JSON.parse(json)), hostileName)
        const measure = await fetch(`${base}/contests/${encodeURIComponent("ballot-measures/measure/1")}`)
        assert.strictEqual(measure.status, 200)
        const missing = await fetch(`${base}/contests/nothing`)
        assert.strictEqual(missing.status, 404)
        // Not valid percent-encoding: the router or the page refuses it, and nothing fails on the server.
        const undecodable = await fetch(`${base}/contests/%E0%A4%A`)
        assert.include([400, 404], undecodable.status)
        for (const asset of [
          "/assets/page.js",
          "/assets/page.css",
          "/assets/uPlot.iife.min.js",
          "/assets/uPlot.min.css"
        ]) {
          const response = await fetch(`${base}${asset}`)
          assert.strictEqual(response.status, 200, asset)
          assert.isAbove((await response.text()).length, 100, asset)
        }
      })

      it("GET /api/changes/stream resumes after Last-Event-ID: no change lost or repeated across reconnects while changes are written", async () => {
        const { body } = await getJson(`${base}/api/status`)
        const start: number = body.lastSeq
        const rounds = 30
        const whileAway = 5
        // The writer goes on while the client disconnects and reconnects.
        const writing = run(
          Effect.forEach(
            Array.from({ length: rounds }, (_, i) => i),
            (i) => write([contest(governor, [400 + i, 300, 100], 50), contest(shapes[3]!, [50 + i, 40, 5], 50)]),
            { discard: true }
          )
        )
        const expected = rounds * 2 + whileAway
        const received: Array<Received> = []
        let lastId = String(start)
        for (let connection = 0; connection < 100 && received.length < expected; connection++) {
          const before = received.length
          // Each connection takes a few changes and drops.
          const got = await readStream(
            `${base}/api/changes/stream`,
            { "last-event-id": lastId },
            (r) => r.length >= 7 || before + r.length >= expected
          )
          // Nothing came for a while: nothing more will (the assertions below say what is missing).
          if (got.length === 0) break
          received.push(...got)
          lastId = got.at(-1)?.id ?? lastId
          // And some changes are committed while it is away.
          if (connection < whileAway) await run(write([contest(shapes[1]!, [100 + connection, 90, 5], 50)]))
        }
        await writing
        const seqs = received.map((r) => r.data.seq)
        assert.deepStrictEqual(
          received.map((r) => r.id),
          seqs.map(String)
        )
        assert.strictEqual(new Set(seqs).size, seqs.length, "no change repeated")
        const stored = await getJson(`${base}/api/changes?since=${start}&limit=1000`)
        assert.deepStrictEqual(
          seqs,
          stored.body.changes.map((c: any) => c.seq),
          "no change lost, in seq order"
        )
        assert.strictEqual(seqs.length, expected)
      }, 60_000)

      it("GET /api/changes/stream without a seq starts from now and sends each change as it is committed", async () => {
        const { body } = await getJson(`${base}/api/status`)
        // Written once the stream is live: a change from then on is sent as it is committed.
        let written: Promise<unknown> = Promise.resolve()
        const [live] = await readStream(
          `${base}/api/changes/stream`,
          {},
          (r) => r.length >= 1,
          () => {
            written = run(write([contest(governor, [900, 300, 100], 60)]))
          }
        )
        await written
        assert.isAbove(live!.data.seq, body.lastSeq)
        assert.deepStrictEqual([live!.data.event.key, live!.data.contest?.label], [governor.key, "Governor"])
        // `since` is honoured when no Last-Event-ID is sent; a Last-Event-ID that is not a seq is ignored.
        const replay = await readStream(
          `${base}/api/changes/stream?since=${live!.data.seq - 1}`,
          { "last-event-id": "not-a-seq" },
          (r) => r.length >= 1
        )
        assert.strictEqual(replay[0]!.data.seq, live!.data.seq)
      })
    }
  )
}
