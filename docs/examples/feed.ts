/**
 * California's results and Ballotpedia's candidates as one feed, in an app of your own: both sources read
 * at once, each event printed as one line of JSON. `BALLOTPEDIA_API_KEY` is required; `CA_SOS_URL` and
 * `BALLOTPEDIA_URL` point the sources elsewhere (at their simulators, say), and `DOWNLOADS` is the folder
 * for Ballotpedia's bulk files.
 */
import * as path from "node:path"
import { NodeRuntime } from "@effect/platform-node"
import * as Ballotpedia from "@electfeed/ballotpedia"
import * as CaSos from "@electfeed/ca-sos"
import { Compose, Download, Feed, Source } from "@electfeed/core"
import { Config, Console, Effect, Stream } from "effect"

const settings = Config.all({
  caSosUrl: Config.String("CA_SOS_URL").pipe(Config.withDefault("https://api.sos.ca.gov")),
  ballotpediaUrl: Config.String("BALLOTPEDIA_URL").pipe(Config.withDefault("https://api.ballotpedia.org")),
  apiKey: Config.Redacted("BALLOTPEDIA_API_KEY"),
  downloads: Config.String("DOWNLOADS").pipe(Config.withDefault("downloads"))
})

const program = Effect.gen(function* () {
  const { caSosUrl, ballotpediaUrl, apiKey, downloads } = yield* settings
  const feed = Compose.merge([
    { source: CaSos.source.id, items: CaSos.source.read({ baseUrl: caSosUrl }) },
    { source: Ballotpedia.source.id, items: Ballotpedia.source.read({ baseUrl: ballotpediaUrl, apiKey }) }
  ])
  let failed = 0
  yield* Stream.runForEach(feed, (merged) => {
    if (merged._tag === "Failed") {
      failed++
      return Console.error(`${merged.source} failed: ${merged.error.message}`)
    }
    const item = merged.item
    if (item._tag === "Event") return Console.log(Feed.encode(item.event))
    if (item._tag === "Skipped") return Console.error(`${merged.source} skipped a row: ${item.error.message}`)
    return Effect.void // a checkpoint: where to resume this stream, for an app that stores them
  }).pipe(Effect.provideService(Download.DownloadDirectory, path.resolve(downloads)))
  if (failed > 0) return yield* Effect.fail(`${failed} source(s) failed`)
}).pipe(Effect.provide(Source.layer))

// Ctrl-C interrupts the program: open requests are aborted, and partial downloads are kept to resume.
NodeRuntime.runMain(program)
