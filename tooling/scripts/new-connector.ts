/**
 * Scaffolds a connector for a new source: `./pnpm new-connector <id> "<name>"`, e.g.
 * `./pnpm new-connector ny-boe "New York State Board of Elections"`.
 *
 * It copies `tooling/connector-template` (a working connector, tested in CI like any package: config,
 * wire schemas, endpoints, mapping, source, simulator, conformance and mapping tests, README) to
 * `packages/<id>`, renamed, then registers it in the TypeScript build and adds a changeset. What is left
 * is the API's specifics: its config, its bodies, its endpoints and its mapping.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const skipped = new Set(["node_modules", "dist", "build", ".turbo"])

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
}): ReadonlyArray<string> => {
  const { id, name, root } = options
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
      let text = fs.readFileSync(source, "utf8")
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
  const [id, name] = process.argv.slice(2)
  const root = path.resolve(import.meta.dirname, "../..")
  try {
    const written = generate({
      root,
      template: path.join(root, "tooling", "connector-template"),
      id: id ?? "",
      name: name ?? ""
    })
    console.log(`wrote ${written.length} files:\n  ${written.join("\n  ")}`)
    console.log(
      [
        "",
        "Next:",
        `  ./pnpm install                                 link the new package`,
        `  ./pnpm --filter @electfeed/${id} test          its conformance suite, against its simulator`,
        `  then, in packages/${id}/src: Config.ts, Wire.ts, Endpoints.ts, Mapping.ts for the real API,`,
        "  and the simulator's data in src/testing/, in the API's real shapes."
      ].join("\n")
    )
  } catch (error) {
    console.error(`new-connector: ${(error as Error).message}\nusage: ./pnpm new-connector <id> "<name of the source>"`)
    process.exit(2)
  }
}
