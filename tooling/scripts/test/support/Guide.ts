/**
 * Reads the code blocks of a Markdown guide that are marked with the file they stand for, so tests can
 * hold the guide to the code it shows. A marker is a line `<!-- file: src/Config.ts -->` (or `edit:`, or
 * `excerpt:`; anything may follow it on the line) right before a fenced block.
 */
import * as path from "node:path"

/** The repository's root. */
export const root = path.resolve(import.meta.dirname, "../../../..")

/** The guide "Writing a connector", at the repository's root. */
export const guideFile = path.join(root, "WRITING-A-CONNECTOR.md")

/** The files of a connector its author edits, in the guide's order. */
export const authorFiles: ReadonlyArray<string> = [
  "src/Config.ts",
  "src/Wire.ts",
  "src/Mapping.ts",
  "src/testing/Data.ts"
]

/**
 * What a marked block is: `file`, a template file shown whole; `edit`, lines an author changes in a file
 * of the generated package; `excerpt`, lines found as they are (but for indentation) in a repository file.
 */
export type Marker = "file" | "edit" | "excerpt"

/** A marked code block: its marker, the file it names, its text (ending with a newline) and its line. */
export interface MarkedBlock {
  readonly marker: Marker
  readonly file: string
  readonly code: string
  readonly line: number
}

const markerLine = /^<!-- (file|edit|excerpt): (\S+) -->/
const fence = /^```/

/** The marked blocks of `markdown`; a marker not followed by a fenced block throws, naming its line. */
export const markedBlocks = (markdown: string): ReadonlyArray<MarkedBlock> => {
  const lines = markdown.split("\n")
  const blocks: Array<MarkedBlock> = []
  lines.forEach((text, at) => {
    const marked = markerLine.exec(text)
    if (marked === null) return
    if (!fence.test(lines[at + 1] ?? "")) throw new Error(`line ${at + 1}: a marker must be followed by a code block`)
    const end = lines.findIndex((candidate, i) => i > at + 1 && fence.test(candidate))
    if (end === -1) throw new Error(`line ${at + 1}: the code block is not closed`)
    const code = lines.slice(at + 2, end)
    blocks.push({ marker: marked[1] as Marker, file: marked[2]!, code: `${code.join("\n")}\n`, line: at + 1 })
  })
  return blocks
}

/** Whether `text` holds the lines of `excerpt` in a row, all indented by the same amount. */
export const holdsExcerpt = (text: string, excerpt: string): boolean => {
  const wanted = excerpt.replace(/\n$/, "").split("\n")
  const lines = text.split("\n")
  return lines.some((line, at) => {
    if (!line.endsWith(wanted[0]!)) return false
    const indent = line.slice(0, line.length - wanted[0]!.length)
    return indent.trim() === "" && wanted.every((want, i) => lines[at + i] === (want === "" ? "" : indent + want))
  })
}
