/**
 * The results pages, rendered on the server: tables that work without JavaScript, that a screen reader
 * reads (captions, header cells with scope) and that fit a phone (each table scrolls on its own).
 * The page's script (see `Assets`) then keeps them live. Every string from a source is escaped: a
 * contest title or a candidate's name is upstream input.
 *
 * @since 0.2.0
 */
import * as Results from "../Results.ts"
import type { HistoryPoint } from "./Api.ts"

type Point = typeof HistoryPoint.Type

/**
 * Escapes text for an HTML element or a quoted attribute.
 *
 * @since 0.2.0
 * @category escaping
 */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * JSON for a `<script type="application/json">` element: `<` escaped, so no string can close the
 * element, and the line separators JavaScript once refused.
 *
 * @since 0.2.0
 * @category escaping
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/**
 * The path of a contest's page.
 *
 * @since 0.2.0
 * @category paths
 */
export const contestPath = (row: { readonly source: string; readonly key: string }) =>
  `/contests/${encodeURIComponent(row.key)}?source=${encodeURIComponent(row.source)}`

const layout = (title: string, body: string, attributes = "") => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/page.css">
<link rel="stylesheet" href="/assets/uPlot.min.css">
</head>
<body${attributes}>
${body}
<script src="/assets/uPlot.iife.min.js"></script>
<script src="/assets/page.js"></script>
</body>
</html>
`

/** The source's own time of the count when it has one, else when the store saw it. */
const updated = (row: Results.ContestSummary) => row.contest.updatedAt ?? row.observedAt

const time = (iso: string) =>
  `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace("T", " "))}</time>`

const leaderCell = (row: Results.ContestSummary) =>
  row.leader === null
    ? `<td class="leader"><span class="name">no votes yet</span></td>`
    : `<td class="leader"><span class="name">${escapeHtml(row.leader.name)}</span>${
        row.leader.party === null ? "" : ` <span class="party">(${escapeHtml(row.leader.party)})</span>`
      } <span class="pct" data-value="${row.leader.percent}">${Results.format.percent(row.leader.percent)}</span></td>`

const contestRow = (
  row: Results.ContestSummary
) => `<tr data-source="${escapeHtml(row.source)}" data-key="${escapeHtml(row.key)}"${row.regressed ? ` class="regressed"` : ""}>
<th scope="row"><a href="${escapeHtml(contestPath(row))}">${escapeHtml(row.label)}</a></th>
${leaderCell(row)}
<td class="margin num" data-value="${row.margin ?? ""}">${escapeHtml(Results.format.margin(row))}</td>
<td class="reporting num" data-value="${row.contest.reporting.percent}">${Results.format.percent(row.contest.reporting.percent)}</td>
<td class="updated">${time(updated(row))}</td>
</tr>`

const columns = `<thead><tr><th scope="col">Contest</th><th scope="col">Leader</th><th scope="col" class="num">Margin (points)</th><th scope="col" class="num">Reporting</th><th scope="col" class="updated">Last update</th></tr></thead>`

const liveRegion = `<p id="live" class="live" role="status" aria-live="polite">Updates appear here as they are counted.</p>`

/**
 * The results page: every contest by group, each with its leader, margin, percent reporting and last
 * update. `since` is the seq of the last change the page includes: the page's script asks for the
 * changes after it.
 *
 * @since 0.2.0
 * @category pages
 */
export const resultsPage = (rows: ReadonlyArray<Results.ContestSummary>, since: number): string => {
  const groups = Results.grouped(rows)
  const sections = groups
    .map(
      (group) => `<section>
<h2 id="group-${group.id}">${escapeHtml(group.title)}</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="group-${group.id}">
<table data-group="${group.id}">
<caption>${escapeHtml(group.title)}: leader, margin in percentage points, precincts reporting and the source's last update</caption>
${columns}
<tbody>
${group.rows.map(contestRow).join("\n")}
</tbody>
</table>
</div>
</section>`
    )
    .join("\n")
  return layout(
    "Election results",
    `<header><h1>Election results</h1>${liveRegion}</header>
<main id="results">
${rows.length === 0 ? "<p>No contests stored yet: the page fills in as sources are read.</p>" : ""}
${sections}
</main>
<footer><p>${rows.length} contests · data as JSON at <a href="/api/contests">/api/contests</a> · API described at <a href="/api/openapi.json">/api/openapi.json</a></p></footer>`,
    ` data-page="results" data-since="${since}"`
  )
}

const selectionRows = (row: Results.ContestSummary) =>
  [...row.contest.selections]
    .sort((a, b) => b.votes - a.votes)
    .map(
      (s) =>
        `<tr><th scope="row">${escapeHtml(s.name)}</th><td>${s.party === null ? "" : escapeHtml(s.party)}</td><td class="num">${s.votes.toLocaleString("en-US")}</td><td class="num">${Results.format.percent(s.percent)}</td></tr>`
    )
    .join("\n")

/** The chart draws the leaders only (as many as it has colours); the table below has every one. */
const chartLines = 8

const historyTable = (history: ReadonlyArray<Point>, names: ReadonlyArray<string>) => `<table id="history-table">
<caption id="history-caption">Every count stored, oldest first; a count that went down (a regression) is marked</caption>
<thead><tr><th scope="col">Time</th><th scope="col" class="num">Reporting</th>${names.map((n) => `<th scope="col" class="num">${escapeHtml(n)}</th>`).join("")}</tr></thead>
<tbody>
${history
  .map(
    (point) =>
      `<tr${point.regressed ? ` class="regressed"` : ""}><th scope="row">${time(point.observedAt)}${point.regressed ? ` <strong>regression</strong>` : ""}</th><td class="num">${Results.format.percent(point.percentReporting)}</td>${names
        .map(
          (n) =>
            `<td class="num">${point.selections.find((s) => s.name === n)?.votes.toLocaleString("en-US") ?? ""}</td>`
        )
        .join("")}</tr>`
  )
  .join("\n")}
</tbody>
</table>`

/**
 * A contest's page: its selections, and the votes of each over time as a chart (drawn by the page's
 * script from the history embedded in the page) and as a table, regressions marked on both.
 *
 * @since 0.2.0
 * @category pages
 */
export const contestPage = (row: Results.ContestSummary, history: ReadonlyArray<Point>, since: number): string => {
  const names = [...new Set(history.flatMap((point) => point.selections.map((s) => s.name)))]
  const regressions = history.filter((point) => point.regressed).length
  const leaders = [...(history.at(-1)?.selections ?? [])]
    .sort((a, b) => b.votes - a.votes)
    .slice(0, chartLines)
    .map((s) => s.name)
  return layout(
    row.label,
    `<header><p><a href="/">← All results</a></p><h1>${escapeHtml(row.label)}</h1>${liveRegion}</header>
<main id="contest">
<div class="scroll" tabindex="0" role="region" aria-labelledby="summary-caption">
<table id="summary" data-source="${escapeHtml(row.source)}" data-key="${escapeHtml(row.key)}">
<caption id="summary-caption">Leader, margin and reporting</caption>
${columns}
<tbody>
${contestRow(row)}
</tbody>
</table>
</div>
<figure id="chart" data-points="${history.length}" aria-labelledby="chart-caption">
<div id="chart-canvas" role="img" aria-label="Line chart of the votes of ${escapeHtml(leaders.join(", "))} over time, ${history.length} counts${regressions > 0 ? `, ${regressions} of them regressions` : ""}; the table below has the same figures"></div>
<figcaption id="chart-caption">Votes over time of the ${leaders.length} leading ${row.contest.contestKind === "candidate" ? "candidates" : "choices"}${regressions > 0 ? "; red dashed lines mark regressions (a count that went down)" : ""}</figcaption>
</figure>
<div class="scroll" tabindex="0" role="region" aria-labelledby="selections-caption">
<table id="selections">
<caption id="selections-caption">Votes by ${row.contest.contestKind === "candidate" ? "candidate" : "choice"}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Party</th><th scope="col" class="num">Votes</th><th scope="col" class="num">Percent</th></tr></thead>
<tbody>
${selectionRows(row)}
</tbody>
</table>
</div>
<details open>
<summary>The counts as a table</summary>
<div class="scroll" tabindex="0" role="region" aria-labelledby="history-caption">
${historyTable(history, names)}
</div>
</details>
<script type="application/json" id="history">${scriptJson(history)}</script>
</main>`,
    ` data-page="contest" data-since="${since}"`
  )
}
