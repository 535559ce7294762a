/**
 * Scaffolds a connector for a new source: `./pnpm new-connector <id> "<name>" [--auth api-key]`, e.g.
 * `./pnpm new-connector ny-boe "New York State Board of Elections"`.
 *
 * It copies `tooling/connector-template` (a working connector, tested in CI like any package: config,
 * wire schemas and endpoint, mapping, source, simulator, conformance and mapping tests, README) to
 * `packages/<id>`, renamed, then registers it in the TypeScript build and adds a changeset. What is left
 * is the API's specifics: its base URL, its body, its mapping and the simulator's data.
 *
 * The template is a public source. Its lines for an API key are comments marked `// api-key: ` (and, in
 * Markdown, lines ending `<!-- api-key -->`): `--auth api-key` keeps them, uncommented, and drops the
 * lines they replace (ending `// public` or `<!-- public -->`); without it they are dropped. Lines for
 * the template alone (`// template:`, `<!-- template -->`) are always dropped.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const skipped = new Set(["node_modules", "dist", "build", ".turbo"])

/** How the generated source authenticates: not at all (a public API), or with a key in `x-api-key`. */
export type Auth = "none" | "api-key"

const auths: ReadonlyArray<Auth> = ["none", "api-key"]

const apiKeyLine = /^(\s*)(.*?)\/\/ api-key:(?: (.*))?$/
const markdownLine = (marker: string) => new RegExp(`^(.*?)\\s*<!-- ${marker} -->(.*)$`)

/** A template file's text for `auth`: the variant's lines kept (their markers removed), the others dropped. */
export const variant = (text: string, auth: Auth): string =>
  text
    .split("\n")
    .flatMap((line): Array<string> => {
      if (/\/\/ template:|<!-- template -->/.test(line)) return []
      const apiKey = apiKeyLine.exec(line)
      if (apiKey !== null) return auth === "api-key" ? [`${apiKey[1]}${apiKey[2]}${apiKey[3] ?? ""}`.trimEnd()] : []
      const markdownKey = markdownLine("api-key").exec(line)
      if (markdownKey !== null) return auth === "api-key" ? [`${markdownKey[1]}${markdownKey[2]}`] : []
      const publicLine = /^(.*?) \/\/ public()$/.exec(line) ?? markdownLine("public").exec(line)
      if (publicLine !== null) return auth === "api-key" ? [] : [`${publicLine[1]}${publicLine[2]}`]
      return [line]
    })
    .join("\n")

const pascal = (id: string) =>
  id
    .split("-")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("")

/**
 * The connector `id` (lowercase words joined by hyphens) named `name`, generated from `template` into
 * `root/packages/<id>`. Returns the files written, relative to `root`.
 */
export const generate = (options: {
  readonly root: string
  readonly template: string
  readonly id: string
  readonly name: string
  readonly auth?: Auth | undefined
}): ReadonlyArray<string> => {
  const { id, name, root } = options
  const auth = options.auth ?? "none"
  if (!auths.includes(auth)) throw new Error(`--auth must be ${auths.join(" or ")}; got ${JSON.stringify(auth)}`)
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
    throw new Error(`the id must be lowercase words joined by hyphens, like "ny-boe"; got ${JSON.stringify(id)}`)
  }
  if (name.trim() === "") throw new Error('give the source a name, like "New York State Board of Elections"')
  const target = path.join(root, "packages", id)
  if (fs.existsSync(target)) throw new Error(`packages/${id} already exists`)

  const replacements: ReadonlyArray<readonly [string | RegExp, string]> = [
    [/"private": true,\n\s*/, ""],
    ['"directory": "tooling/connector-template"', `"directory": "packages/${id}"`],
    ["../../packages/core/tsconfig.src.json", "../core/tsconfig.src.json"],
    ["@electfeed/connector-template", `@electfeed/${id}`],
    [/EXAMPLE_STATE/g, id.toUpperCase().replaceAll("-", "_")],
    [/ExampleState/g, pascal(id)],
    [/Example State/g, name],
    [/example-state/g, id]
  ]
  const written: Array<string> = []
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true })
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue
      const source = path.join(from, entry.name)
      const destination = path.join(to, entry.name.replaceAll("ExampleState", pascal(id)))
      if (entry.isDirectory()) {
        copy(source, destination)
        continue
      }
      let text = variant(fs.readFileSync(source, "utf8"), auth)
      for (const [pattern, replacement] of replacements) text = text.replace(pattern, replacement)
      fs.writeFileSync(destination, text)
      written.push(path.relative(root, destination))
    }
  }
  copy(options.template, target)

  const tsconfig = path.join(root, "tsconfig.json")
  const build = JSON.parse(fs.readFileSync(tsconfig, "utf8")) as { references: Array<{ path: string }> }
  build.references.push({ path: `packages/${id}` })
  fs.writeFileSync(tsconfig, `${JSON.stringify(build, null, 2)}\n`)
  written.push("tsconfig.json")

  const changeset = path.join(root, ".changeset", `${id}-initial.md`)
  fs.writeFileSync(
    changeset,
    `---\n"@electfeed/${id}": minor\n---\n\nFirst release: the ${name} connector, with its API simulator.\n`
  )
  written.push(path.relative(root, changeset))
  return written
}

if (import.meta.main) {
  const args = process.argv.slice(2)
  const flag = args.indexOf("--auth")
  const auth = flag === -1 ? undefined : (args.splice(flag, 2)[1] as Auth | undefined)
  const [id, name] = args
  const root = path.resolve(import.meta.dirname, "../..")
  try {
    const written = generate({
      root,
      template: path.join(root, "tooling", "connector-template"),
      id: id ?? "",
      name: name ?? "",
      auth: flag === -1 ? undefined : (auth ?? ("" as Auth))
    })
    console.log(`wrote ${written.length} files:\n  ${written.join("\n  ")}`)
    console.log(
      [
        "",
        "Next:",
        `  ./pnpm install                                 link the new package`,
        `  ./pnpm --filter @electfeed/${id} test          its conformance suite, against its simulator`,
        `  then, in packages/${id}/src: Config.ts (the base URL), Wire.ts (the endpoint and its body),`,
        "  Mapping.ts (the state and the mapping) and testing/Data.ts (the simulator's data, in the API's",
        "  real shape). The conformance suite fails while a TODO or the state XX is left."
      ].join("\n")
    )
  } catch (error) {
    console.error(
      `new-connector: ${(error as Error).message}\nusage: ./pnpm new-connector <id> "<name of the source>" [--auth api-key]`
    )
    process.exit(2)
  }
}
