/**
 * Counts the code lines of each package's `src` (test support in `src/testing/` left out): lines holding
 * something besides comments (`//`, `/* *\/`, JSDoc) and whitespace. `pnpm code-lines` prints a table per
 * package; `pnpm code-lines --all` adds a row per file.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** What the lines of one text are. */
export interface Lines {
  readonly code: number
  readonly comment: number
  readonly blank: number
}

// After these a `/` starts a regular expression, not a division.
const beforeRegex = new Set([..."(,=:[!&|?{};+-*%<>~^"])
const partOfWord = /[\w$]/
const keywordsBeforeRegex = new Set([
  "return",
  "typeof",
  "case",
  "in",
  "of",
  "void",
  "delete",
  "throw",
  "yield",
  "await"
])

/**
 * Sorts the lines of a TypeScript text: a line with any code on it is code, one with only comments is a
 * comment line, the rest are blank. Strings, template literals (with their `${}` parts) and regular
 * expressions are read as code, so a `//` inside them starts no comment.
 */
export const countLines = (text: string): Lines => {
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n")
  const hasCode = new Array<boolean>(lines.length).fill(false)
  const hasComment = new Array<boolean>(lines.length).fill(false)
  // Brace depth of each open `${` of a template literal, innermost last.
  const templates: Array<number> = []
  let braces = 0
  let line = 0
  let previous = ""
  let word = ""
  let i = 0
  const markCode = () => {
    hasCode[line] = true
  }
  const advance = () => {
    if (text[i] === "\n") line++
    i++
  }
  const readTemplate = () => {
    markCode()
    advance()
    while (i < text.length) {
      if (text[i] === "\\") {
        advance()
        advance()
      } else if (text[i] === "`") {
        markCode()
        advance()
        return
      } else if (text[i] === "$" && text[i + 1] === "{") {
        advance()
        advance()
        templates.push(braces)
        braces++
        return
      } else {
        if (text[i] !== "\n") markCode()
        advance()
      }
    }
  }
  while (i < text.length) {
    const char = text[i] as string
    const next = text[i + 1]
    if (char === "/" && next === "/") {
      hasComment[line] = true
      while (i < text.length && text[i] !== "\n") i++
    } else if (char === "/" && next === "*") {
      hasComment[line] = true
      i += 2
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) {
        advance()
        hasComment[line] = true
      }
      i += 2
    } else if (char === '"' || char === "'") {
      markCode()
      i++
      while (i < text.length && text[i] !== char && text[i] !== "\n") {
        if (text[i] === "\\") advance()
        advance()
      }
      if (text[i] === char) i++
      previous = char
    } else if (char === "`") {
      readTemplate()
      previous = char
    } else if (char === "}" && templates.at(-1) === braces - 1) {
      templates.pop()
      braces--
      readTemplate()
      previous = "`"
    } else if (char === "/" && (beforeRegex.has(previous) || previous === "" || keywordsBeforeRegex.has(word))) {
      markCode()
      let inClass = false
      i++
      while (i < text.length && text[i] !== "\n" && (inClass || text[i] !== "/")) {
        if (text[i] === "[") inClass = true
        else if (text[i] === "]") inClass = false
        if (text[i] === "\\") i++
        i++
      }
      if (text[i] === "/") i++
      previous = "/"
    } else if (char === "\n" || char.trim() === "") {
      advance()
      continue
    } else {
      markCode()
      if (char === "{") braces++
      else if (char === "}") braces--
      word = partOfWord.test(char) ? (partOfWord.test(text[i - 1] ?? "") ? word + char : char) : ""
      previous = char
      i++
      continue
    }
    word = ""
  }
  const code = hasCode.filter(Boolean).length
  const comment = hasComment.filter((commented, index) => commented && !hasCode[index]).length
  return { code, comment, blank: lines.length - code - comment }
}

/** A package's source files, relative to its folder, with their lines. */
export interface PackageLines {
  readonly name: string
  readonly files: ReadonlyArray<{ readonly file: string; readonly lines: Lines }>
  readonly total: Lines
}

const sum = (all: ReadonlyArray<Lines>): Lines => ({
  code: all.reduce((n, lines) => n + lines.code, 0),
  comment: all.reduce((n, lines) => n + lines.comment, 0),
  blank: all.reduce((n, lines) => n + lines.blank, 0)
})

/** The lines of every `.ts` file under `dir/src`, except `src/testing/`. */
export const packageLines = (dir: string): PackageLines => {
  const src = path.join(dir, "src")
  const files = fs
    .readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && file.split(path.sep)[0] !== "testing")
    .sort()
    .map((file) => ({
      file: path.join("src", file),
      lines: countLines(fs.readFileSync(path.join(src, file), "utf8"))
    }))
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
  return { name: String(manifest.name), files, total: sum(files.map((file) => file.lines)) }
}

/** The workspace folders with a `src`: packages, apps and the connector template. */
export const packageDirs = (root: string): ReadonlyArray<string> =>
  [
    ...["packages", "apps"].flatMap((group) =>
      fs.readdirSync(path.join(root, group)).map((name) => path.join(root, group, name))
    ),
    path.join(root, "tooling", "connector-template")
  ].filter((dir) => fs.existsSync(path.join(dir, "src")) && fs.existsSync(path.join(dir, "package.json")))

/** The table `pnpm code-lines` prints; with `all`, each package's files under it. */
export const table = (packages: ReadonlyArray<PackageLines>, all: boolean): string => {
  const rows: Array<[string, string, string, string, string]> = [["", "files", "code", "comment", "blank"]]
  const row = (label: string, files: string, lines: Lines) =>
    rows.push([label, files, String(lines.code), String(lines.comment), String(lines.blank)])
  for (const pkg of packages) {
    row(pkg.name, String(pkg.files.length), pkg.total)
    if (all) for (const file of pkg.files) row(`  ${file.file}`, "", file.lines)
  }
  row("total", String(packages.reduce((n, pkg) => n + pkg.files.length, 0)), sum(packages.map((pkg) => pkg.total)))
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)))
  return rows
    .map((cells) =>
      cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join("  ")
    )
    .join("\n")
}

if (import.meta.main) {
  const root = path.resolve(import.meta.dirname, "../..")
  console.log(table(packageDirs(root).map(packageLines), process.argv.includes("--all")))
}
