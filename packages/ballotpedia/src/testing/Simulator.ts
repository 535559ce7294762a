/**
 * A simulator of Ballotpedia's bulk-data API and of the S3 bucket its links point to, on 127.0.0.1.
 *
 * - `GET /getQueryList` and `POST /getQueryResults`, with the `x-api-key` checked (a wrong key gets
 *   403 `{"message":"Forbidden"}`) and the `{ success, data, message }` envelope (`success: false` on
 *   HTTP 200 for an unknown dataset or format).
 * - `GET /files/metabase_query_results_<id>.<format>?AWSAccessKeyId=…&Expires=…&Signature=…`: presigned
 *   links that expire (S3's 403 XML `AccessDenied` / `Request has expired`), `ETag` and
 *   `Last-Modified` with `If-None-Match` / `If-Modified-Since`, and `Range` with `If-Range`.
 *
 * Files are generated as they are sent, from any byte, so a file of a million rows is never held in
 * memory. Everything of core's simulator is there too: `inject` (statuses, resets, stalls, malformed
 * bodies) and the request log.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import { Simulator as Sim, type Simulator } from "@electfeed/core/simulator"
import { Effect, type Scope } from "effect"
import * as Generator from "./Generator.ts"

/**
 * A dataset the simulator serves: generated (`rows` a count, made by `kind` from `seed`) or given
 * (`rows` the rows themselves).
 *
 * @since 0.1.0
 * @category models
 */
export interface DatasetOptions {
  readonly id: string
  readonly title: string
  readonly description?: string | undefined
  readonly kind?: "candidates" | "endorsements" | "other" | undefined
  readonly rows: number | ReadonlyArray<Readonly<Record<string, string>>>
  readonly seed?: number | undefined
  /** How the CSV file is written: CRLF by default, no byte-order mark. */
  readonly csv?: Generator.CsvOptions | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ServeOptions {
  /** The key the API accepts. Default {@link defaultApiKey}. */
  readonly apiKey?: string | undefined
  /** Default {@link defaultDatasets}. */
  readonly datasets?: ReadonlyArray<DatasetOptions> | undefined
  /** How long a link works after `getQueryResults` handed it out, in real time. Default 5 minutes. */
  readonly linkTtlMillis?: number | undefined
  /**
   * Cut a transfer when its link expires. S3 finishes a transfer that started in time; a transfer cut
   * at expiry is the harsher case, which a download must survive by resuming with a fresh link.
   */
  readonly expiryCutsTransfers?: boolean | undefined
  /** Whether the file host honours `Range`. Default true. */
  readonly honourRange?: boolean | undefined
  /** Whether files carry an `ETag`; without one, `Last-Modified` is all a client can go by. Default true. */
  readonly etags?: boolean | undefined
  /** Caps the rate at which file bodies are sent (so that transfers outlive their links, or can be killed). */
  readonly bytesPerSecond?: number | undefined
  readonly port?: number | undefined
}

/**
 * A running simulator: core's handle plus the controls of this API.
 *
 * @since 0.1.0
 * @category models
 */
export interface BallotpediaSimulator extends Simulator.Simulator {
  readonly apiKey: string
  /** Links handed out by `getQueryResults` so far. */
  readonly links: () => number
  /** The requests for files, oldest first. */
  readonly fileRequests: () => ReadonlyArray<Simulator.LoggedRequest>
  /** The size in bytes and the ETag of a dataset's file as it is now. */
  readonly file: (dataset: string, format: "json" | "csv") => { readonly size: number; readonly etag: string }
  /** Publishes a new version of a dataset, as the daily regeneration does: new rows, new ETag. */
  readonly regenerate: (dataset: string) => void
  /** Replaces a cell of row `row` (0-based) with `value`, in both formats. */
  readonly corruptCell: (dataset: string, row: number, column: string, value: string) => void
  /** Breaks row `row` beyond reading: a JSON element that is not an object, a CSV record one field too long. */
  readonly breakRow: (dataset: string, row: number) => void
  /** The next `count` links handed out have already expired when they are used. */
  readonly expireNextLinks: (count: number) => void
  /** The next file transfer to reach byte `offset` of its file is cut there. */
  readonly dropFileAt: (offset: number) => void
  readonly setHonourRange: (honour: boolean) => void
  /** Changes the cap on the rate of file bodies; `undefined` lifts it. */
  readonly setBytesPerSecond: (rate: number | undefined) => void
}

/**
 * The key the simulator accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultApiKey = "bp-sim-key-5f0c3a9e71d24b8c"

/**
 * A Candidates dataset, the vendor's example endorsements dataset, and a ballot-measures dataset.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaultDatasets: ReadonlyArray<DatasetOptions> = [
  {
    id: "1253",
    title: "Candidates 2024",
    description: "Every candidate on 2024 ballots",
    kind: "candidates",
    rows: 40
  },
  {
    id: "1098",
    title: "Endorsements Sample for Data Clients",
    description: "List endorsements for 2020 candidates",
    kind: "endorsements",
    rows: 25
  },
  { id: "1310", title: "Ballot measures 2024", description: "Statewide ballot measures", kind: "other", rows: 12 }
]

/**
 * Whether a request is for a file (the S3 side), for `inject`'s `match` and the conformance kit's
 * `faultTarget`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFileRequest = (request: { readonly path: string }): boolean => request.path.startsWith("/files/")

/**
 * Whether a request is for the API (not a file).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isApiRequest = (request: { readonly path: string }): boolean => !isFileRequest(request)

/**
 * S3's answer to a presigned URL past its expiry.
 *
 * @since 0.1.0
 * @category responses
 */
export const expiredXml =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
  "<X-Amz-Expires>300</X-Amz-Expires><RequestId>4442587FB7D0A2F9</RequestId></Error>"

const deniedXml =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'

const json = (status: number, body: unknown) => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
})

const xml = (body: string) => ({ status: 403, headers: { "content-type": "application/xml" }, body })

const tableOf = (options: DatasetOptions, version: number): Generator.Table => {
  if (typeof options.rows !== "number") return Generator.fromRows(options.rows)
  // A regenerated dataset is new data: the version moves the seed.
  const seed = (options.seed ?? 1) + version * 7919
  switch (options.kind ?? "other") {
    case "candidates":
      return Generator.candidates(options.rows, seed)
    case "endorsements":
      return Generator.endorsements(options.rows, seed)
    case "other":
      return Generator.measures(options.rows, seed)
  }
}

interface DatasetState {
  readonly options: DatasetOptions
  version: number
  readonly cells: Map<number, Record<string, string>>
  readonly broken: Set<number>
  readonly files: Map<string, { readonly file: Generator.File; readonly etag: string; readonly lastModified: string }>
}

interface Link {
  readonly dataset: string
  readonly format: string
  readonly expiresAt: number
}

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

/**
 * Starts the simulator; it stops when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (options?: ServeOptions): Effect.Effect<BallotpediaSimulator, never, Scope.Scope> =>
  Effect.suspend(() => {
    const apiKey = options?.apiKey ?? defaultApiKey
    const ttl = options?.linkTtlMillis ?? 5 * 60 * 1000
    let honourRange = options?.honourRange ?? true
    let bytesPerSecond = options?.bytesPerSecond
    let expiredLinks = 0
    let dropAt: number | undefined
    let linkCount = 0
    const links = new Map<string, Link>()
    const datasets = new Map<string, DatasetState>(
      (options?.datasets ?? defaultDatasets).map((dataset) => [
        dataset.id,
        { options: dataset, version: 0, cells: new Map(), broken: new Set(), files: new Map() }
      ])
    )

    const stateOf = (id: string) => {
      const state = datasets.get(id)
      if (state === undefined) throw new Error(`the simulator has no dataset ${id}`)
      return state
    }
    const changed = (state: DatasetState) => state.files.clear()

    const fileOf = (state: DatasetState, format: "json" | "csv") => {
      let made = state.files.get(format)
      if (made === undefined) {
        const file = Generator.file(tableOf(state.options, state.version), format, {
          damage: { cells: state.cells, broken: state.broken },
          csv: state.options.csv
        })
        // What makes the file what it is; given rows are part of it, a count stands for generated ones.
        const descriptor = JSON.stringify([
          state.options.id,
          format,
          state.version,
          state.options.seed,
          state.options.rows,
          state.options.csv,
          [...state.cells],
          [...state.broken]
        ])
        made = {
          file,
          etag: `"${createHash("sha256").update(descriptor).digest("hex").slice(0, 32)}"`,
          lastModified: new Date(Date.UTC(2026, 0, 1) + state.version * 86_400_000).toUTCString()
        }
        state.files.set(format, made)
      }
      return made
    }

    // Sends the file from `start`, paced and cut as the options and faults say.
    async function* body(file: Generator.File, start: number, link: Link): AsyncGenerator<Uint8Array> {
      let offset = start
      const began = Date.now()
      for (const piece of file.bytes(start)) {
        if (options?.expiryCutsTransfers && Date.now() > link.expiresAt) throw new Error("the link expired")
        if (dropAt !== undefined && offset + piece.byteLength > dropAt) {
          const cut = dropAt - offset
          dropAt = undefined
          if (cut > 0) yield piece.subarray(0, cut)
          // Lets the bytes before the cut reach the client, as they would before a real connection drops.
          await sleep(10)
          throw new Error("dropped on purpose")
        }
        offset += piece.byteLength
        yield piece
        if (bytesPerSecond !== undefined) {
          const due = began + ((offset - start) / bytesPerSecond) * 1000
          if (due > Date.now()) await sleep(due - Date.now())
        }
      }
    }

    const files = (request: Simulator.SimRequest): Simulator.Reply => {
      const match = /^\/files\/metabase_query_results_(.+)\.(json|csv)$/.exec(request.path)
      const link = links.get(request.url.searchParams.get("Signature") ?? "")
      if (match === null || link === undefined || link.dataset !== match[1] || link.format !== match[2]) {
        return xml(deniedXml)
      }
      if (Date.now() > link.expiresAt) return xml(expiredXml)
      const format = match[2] as "json" | "csv"
      const { file, etag, lastModified } = fileOf(stateOf(link.dataset), format)
      const validators: Record<string, string> =
        options?.etags === false ? { "last-modified": lastModified } : { etag, "last-modified": lastModified }
      const unchanged =
        request.headers["if-none-match"] === undefined
          ? request.headers["if-modified-since"] === lastModified
          : request.headers["if-none-match"] === etag
      if (unchanged) return { status: 304, headers: validators }
      const contentType = format === "json" ? "application/json" : "text/csv; charset=utf-8"
      const range = /^bytes=(\d+)-$/.exec(request.headers["range"] ?? "")
      const ifRange = request.headers["if-range"]
      const start = Number(range?.[1] ?? 0)
      if (range && honourRange && (ifRange === undefined || ifRange === etag || ifRange === lastModified)) {
        if (start >= file.size) {
          return { status: 416, headers: { "content-range": `bytes */${file.size}` } }
        }
        return {
          status: 206,
          headers: {
            ...validators,
            "content-type": contentType,
            "content-length": String(file.size - start),
            "content-range": `bytes ${start}-${file.size - 1}/${file.size}`
          },
          body: body(file, start, link)
        }
      }
      return {
        status: 200,
        headers: { ...validators, "content-type": contentType, "content-length": String(file.size) },
        body: body(file, 0, link)
      }
    }

    const api = (request: Simulator.SimRequest, base: string): Simulator.Reply => {
      if (request.headers["x-api-key"] !== apiKey) return json(403, { message: "Forbidden" })
      if (request.method === "GET" && request.path === "/getQueryList") {
        return json(200, {
          success: true,
          data: [...datasets.values()].map(({ options: d }) => ({
            id: d.id,
            title: d.title,
            description: d.description ?? null
          })),
          message: null
        })
      }
      if (request.method === "POST" && request.path === "/getQueryResults") {
        let asked: { id?: unknown; format?: unknown }
        try {
          asked = JSON.parse(request.body)
        } catch {
          return json(200, { success: false, data: {}, message: "The request body must be JSON." })
        }
        if (typeof asked.id !== "string" || !datasets.has(asked.id)) {
          return json(200, { success: false, data: {}, message: `No query with id ${String(asked.id)}.` })
        }
        if (asked.format !== "json" && asked.format !== "csv") {
          return json(200, { success: false, data: {}, message: "Format must be json or csv." })
        }
        const signature = randomBytes(16).toString("hex")
        linkCount++
        const expiresAt = expiredLinks > 0 ? Date.now() - 1 : Date.now() + ttl
        if (expiredLinks > 0) expiredLinks--
        links.set(signature, { dataset: asked.id, format: asked.format, expiresAt })
        const url =
          `${base}/files/metabase_query_results_${asked.id}.${asked.format}` +
          `?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=${Math.ceil(expiresAt / 1000)}&Signature=${signature}`
        return json(200, { success: true, data: { url }, message: "Success" })
      }
      return json(404, { message: "Not Found" })
    }

    let base = ""
    return Sim.serve(
      (request) => (isFileRequest(request) ? files(request) : api(request, base)),
      options?.port === undefined ? undefined : { port: options.port }
    ).pipe(
      Effect.map((sim): BallotpediaSimulator => {
        base = sim.url
        const change = (id: string, f: (state: DatasetState) => void) => {
          const state = stateOf(id)
          f(state)
          changed(state)
        }
        return {
          ...sim,
          apiKey,
          links: () => linkCount,
          fileRequests: () => sim.requests.filter(isFileRequest),
          file: (id, format) => {
            const { file, etag } = fileOf(stateOf(id), format)
            return { size: file.size, etag }
          },
          regenerate: (id) => change(id, (state) => void state.version++),
          corruptCell: (id, row, column, value) =>
            change(id, (state) => void state.cells.set(row, { ...state.cells.get(row), [column]: value })),
          breakRow: (id, row) => change(id, (state) => void state.broken.add(row)),
          expireNextLinks: (count) => void (expiredLinks += count),
          dropFileAt: (offset) => void (dropAt = offset),
          setHonourRange: (honour) => void (honourRange = honour),
          setBytesPerSecond: (rate) => void (bytesPerSecond = rate)
        }
      })
    )
  })
