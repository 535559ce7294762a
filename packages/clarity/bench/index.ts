/**
 * Benchmark (not a test): a generated statewide precinct-level `detailxml.zip` (about 300 MB of XML;
 * `--quick`: 10 MB) read through the source's `results` stream (download to disk, streaming unzip,
 * streaming XML, one `ContestResult` per contest and precinct with vote types), against a plain baseline
 * in the same run (a bare `fetch` to disk, then the same fflate, zlib and saxes with no Effect, counting
 * the same rows). The zip is written to a temporary folder at bench time and served from disk on
 * 127.0.0.1; each read runs in a process of its own, so its CPU time and peak RSS are its own.
 *
 * Both reads run as compiled JavaScript, as an app runs the published packages: the reader is bundled
 * (esbuild) once for each, so the baseline's process holds none of the source. Run from TypeScript sources, Node's type stripping alone adds some 30 MB.
 *
 * Figures: rows/s against the baseline's, and peak RSS (it must stay flat: under 200 MB).
 *
 * `pnpm bench [--quick]`, or `node bench/index.ts [megabytes]`
 */
import { fork } from "node:child_process"
import * as fs from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { build } from "esbuild"
import * as Bench from "../../../tooling/scripts/bench-results.ts"
import { generate } from "./generate.ts"
import type { Figures } from "./reader.ts"

const megabytes = Number(process.argv[2] ?? Bench.size(10, 300))
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "electfeed-clarity-bench-"))
const zip = path.join(folder, "detailxml.zip")

try {
  console.log(`writing a statewide precinct-level detail.xml of about ${megabytes} MB, zipped…`)
  const { units, contests } = generate(zip, megabytes)
  console.log(`${contests} contests × ${units} precincts; zip ${(fs.statSync(zip).size / 1e6).toFixed(0)} MB`)
  const server = createServer((request, response) => {
    if (request.url === "/GA/115903/current_ver.txt") return void response.end("318390")
    if (request.url === "/GA/115903/318390/reports/detailxml.zip") {
      response.writeHead(200, {
        "content-type": "application/x-zip-compressed",
        "content-length": fs.statSync(zip).size
      })
      return void fs.createReadStream(zip).pipe(response)
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const compiled = (mode: "source" | "baseline") => path.join(folder, `reader-${mode}.js`)
  for (const mode of ["source", "baseline"] as const) {
    await build({
      entryPoints: [path.join(import.meta.dirname, "reader.ts")],
      outfile: compiled(mode),
      define: { READER_MODE: JSON.stringify(mode) },
      bundle: true,
      // Folds the other mode's read away.
      minifySyntax: true,
      format: "esm",
      platform: "node",
      logLevel: "warning",
      // Some dependencies are CommonJS that `require` Node's modules.
      banner: {
        js: 'import { createRequire as __electfeedRequire } from "node:module"; const require = __electfeedRequire(import.meta.url);'
      }
    })
  }
  const measure = (mode: "source" | "baseline", flags: ReadonlyArray<string> = []) =>
    new Promise<Figures>((resolve, reject) => {
      const downloads = fs.mkdtempSync(path.join(folder, `${mode}-`))
      const child = fork(compiled(mode), [url, downloads], {
        execArgv: [...flags],
        stdio: "inherit"
      })
      child.once("message", (figures) => resolve(figures as Figures))
      child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`the ${mode} read exited with ${code}`))))
    })
  try {
    const plain = await measure("baseline")
    const electfeed = await measure("source")
    // As the electfeed CLI runs it: its shebang caps V8's young generation at 16 MB.
    const cli = await measure("source", ["--max-semi-space-size=16"])
    for (const [who, f] of [
      ["baseline (fetch, fflate, zlib, saxes)", plain],
      ["source, Node defaults", electfeed],
      ["source, as the electfeed CLI runs it", cli]
    ] as const) {
      console.log(
        `${who}: ${f.rows} rows in ${(f.wallMillis / 1000).toFixed(1)} s, CPU ${(f.cpuMillis / 1000).toFixed(1)} s, ` +
          `peak RSS ${(f.peakRss / 1e6).toFixed(0)} MB`
      )
    }
    if (electfeed.rows !== plain.rows)
      throw new Error(`the source read ${electfeed.rows} rows, the baseline ${plain.rows}`)
    const name = `clarity: precinct-level detail.xml, ${megabytes} MB`
    Bench.record(`clarity-detail-${megabytes}mb`, [
      ...Bench.rowFigures(name, electfeed, plain),
      Bench.result({
        name: `${name}, peak RSS as the CLI runs it`,
        unit: "MB",
        value: cli.peakRss / 1e6,
        baseline: plain.peakRss / 1e6,
        better: "lower"
      })
    ])
    if (cli.peakRss > 200e6)
      console.warn(`peak RSS ${(cli.peakRss / 1e6).toFixed(0)} MB as the CLI runs it: more than 200 MB`)
  } finally {
    server.close()
  }
} finally {
  fs.rmSync(folder, { recursive: true, force: true })
}
