/**
 * What the pages load besides themselves, all from this server (nothing from the internet): their
 * style, their script, and uPlot (the chart library, a dependency of this package, served from its
 * installed files).
 *
 * The script keeps the pages live: it follows `/api/changes/stream` from the seq the page was rendered
 * at (the browser resumes after the last one it had when the connection drops), updates the rows of
 * changed contests in place and highlights them, adds the new count to a contest's chart, and tells
 * screen readers what changed through a polite live region. It writes upstream strings as text only.
 *
 * @since 0.2.0
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"

/**
 * The style: readable on a phone (tables scroll on their own), contrast of 4.5:1 or more for text and
 * 3:1 for chart lines.
 *
 * @since 0.2.0
 * @category assets
 */
export const css = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --link: #0b5cad; --flash: #fff1a8; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 0.75rem; font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--link); }
a:focus-visible, .scroll:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
.live { color: var(--muted); min-height: 1.5em; margin: 0.25rem 0; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); font-size: 0.9rem; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-size: 0.9rem; }
tbody th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.party { color: var(--muted); }
tr.regressed th::after { content: " (count went down)"; color: var(--bad); font-weight: normal; font-size: 0.85rem; }
tr.changed { animation: flash 6s ease-out; }
@keyframes flash { from { background: var(--flash); } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { tr.changed { animation: none; background: var(--flash); } }
figure { margin: 1.5rem 0; }
figcaption { color: var(--muted); font-size: 0.9rem; }
#chart-canvas { min-height: 320px; }
details { margin: 1rem 0; }
@media (max-width: 40rem) {
  body { padding: 0.5rem; font-size: 0.95rem; }
  th, td { padding: 0.35rem 0.3rem; }
  .updated { display: none; }
}
footer { color: var(--muted); font-size: 0.9rem; margin-top: 2rem; }
`

/**
 * The pages' script (plain ES2017, no build step).
 *
 * @since 0.2.0
 * @category assets
 */
export const js = `(function () {
  "use strict";
  var body = document.body;
  var since = Number(body.getAttribute("data-since")) || 0;
  var live = document.getElementById("live");
  var palette = ["#0b5cad", "#b3261e", "#1b7a3a", "#6a3d9a", "#8a4b08", "#ad1457", "#455a64", "#00695c"];
  var one = function (n) { return n.toFixed(1); };
  var id = function (source, key) { return source + "\\u0000" + key; };
  var rows = new Map();
  document.querySelectorAll("tr[data-key]").forEach(function (tr) {
    var key = id(tr.getAttribute("data-source"), tr.getAttribute("data-key"));
    rows.set(key, (rows.get(key) || []).concat([tr]));
  });

  function span(className, text, value) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    if (value !== undefined) el.setAttribute("data-value", value);
    return el;
  }

  function updateRow(tr, c, seq) {
    var leader = tr.querySelector(".leader");
    leader.textContent = "";
    leader.appendChild(span("name", c.leader ? c.leader.name : "no votes yet"));
    if (c.leader) {
      if (c.leader.party !== null) {
        leader.appendChild(document.createTextNode(" "));
        leader.appendChild(span("party", "(" + c.leader.party + ")"));
      }
      leader.appendChild(document.createTextNode(" "));
      leader.appendChild(span("pct", one(c.leader.percent) + "%", String(c.leader.percent)));
    }
    var margin = tr.querySelector(".margin");
    margin.setAttribute("data-value", c.margin === null ? "" : String(c.margin));
    margin.textContent = c.leader === null ? "" : c.margin === null ? "unopposed" : "+" + one(c.margin);
    var reporting = tr.querySelector(".reporting");
    reporting.setAttribute("data-value", String(c.contest.reporting.percent));
    reporting.textContent = one(c.contest.reporting.percent) + "%";
    var iso = c.contest.updatedAt || c.observedAt;
    var time = document.createElement("time");
    time.setAttribute("datetime", iso);
    time.textContent = iso.slice(0, 16).replace("T", " ");
    var updated = tr.querySelector(".updated");
    updated.textContent = "";
    updated.appendChild(time);
    tr.classList.toggle("regressed", c.regressed);
    tr.classList.remove("changed");
    void tr.offsetWidth;
    tr.classList.add("changed");
    tr.setAttribute("data-seq", String(seq));
  }

  var told = [];
  var telling = null;
  function tell(label) {
    told.push(label);
    if (telling !== null) return;
    telling = setTimeout(function () {
      var names = told.slice(0, 3).join(", ");
      live.textContent = "Updated: " + names + (told.length > 3 ? " and " + (told.length - 3) + " more" : "");
      told = [];
      telling = null;
    }, 800);
  }

  var chart = null;
  var history = [];
  var historyElement = document.getElementById("history");
  if (historyElement !== null) history = JSON.parse(historyElement.textContent || "[]");

  // The leaders at the last count: more lines than colours would be unreadable (the table has them all).
  function names() {
    var last = history[history.length - 1];
    if (last === undefined) return [];
    return last.selections.slice().sort(function (a, b) { return b.votes - a.votes; })
      .slice(0, palette.length).map(function (s) { return s.name; });
  }

  function chartData(labels) {
    var xs = history.map(function (p) { return Date.parse(p.observedAt) / 1000; });
    return [xs].concat(labels.map(function (name) {
      return history.map(function (p) {
        var s = p.selections.find(function (x) { return x.name === name; });
        return s ? s.votes : null;
      });
    }));
  }

  function drawChart() {
    var figure = document.getElementById("chart");
    var canvas = document.getElementById("chart-canvas");
    if (figure === null || canvas === null || typeof uPlot === "undefined") return;
    figure.setAttribute("data-points", String(history.length));
    var labels = names();
    if (chart !== null) chart.destroy();
    canvas.textContent = "";
    chart = new uPlot({
      width: Math.max(280, canvas.clientWidth || 600),
      height: 320,
      series: [{ label: "Time" }].concat(labels.map(function (name, i) {
        return { label: name, stroke: palette[i % palette.length], width: 2, points: { show: true, size: 6 } };
      })),
      axes: [{}, { size: 70, values: function (u, vals) { return vals.map(function (v) { return v.toLocaleString("en-US"); }); } }],
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#b3261e";
          ctx.setLineDash([6, 4]);
          ctx.lineWidth = 2;
          history.forEach(function (p) {
            if (!p.regressed) return;
            var x = u.valToPos(Date.parse(p.observedAt) / 1000, "x", true);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          });
          ctx.restore();
        }]
      }
    }, chartData(labels), canvas);
  }

  function updateSelections(c) {
    var tbody = document.querySelector("#selections tbody");
    if (tbody === null) return;
    tbody.textContent = "";
    c.contest.selections.slice().sort(function (a, b) { return b.votes - a.votes; }).forEach(function (s) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.setAttribute("scope", "row");
      th.textContent = s.name;
      tr.appendChild(th);
      [s.party === null ? "" : s.party, s.votes.toLocaleString("en-US"), one(s.percent) + "%"].forEach(function (text, i) {
        var td = document.createElement("td");
        if (i > 0) td.className = "num";
        td.textContent = text;
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  function onChange(message) {
    var event = message.event;
    var c = message.contest;
    if (c === undefined) return;
    var found = rows.get(id(event.source, event.key));
    if (found === undefined) {
      if (body.getAttribute("data-page") === "results") tell("a new contest, " + c.label + " (reload to see it)");
      return;
    }
    found.forEach(function (tr) { updateRow(tr, c, message.seq); });
    tell(c.label + ": " + (c.leader ? c.leader.name + " leads" : "no votes yet") + ", " + one(c.contest.reporting.percent) + "% reporting");
    if (body.getAttribute("data-page") === "contest") {
      history.push({
        observedAt: event.observedAt,
        change: event.change,
        regressed: event.regressed === true,
        precinctsReporting: c.contest.reporting.precinctsReporting,
        precinctsTotal: c.contest.reporting.precinctsTotal,
        percentReporting: c.contest.reporting.percent,
        selections: c.contest.selections
      });
      updateSelections(c);
      drawChart();
    }
  }

  drawChart();
  if (typeof EventSource === "undefined") return;
  var source = new EventSource("/api/changes/stream?since=" + since);
  source.addEventListener("change", function (e) {
    try { onChange(JSON.parse(e.data)); } catch (error) { console.error(error); }
  });
  source.addEventListener("open", function () { body.setAttribute("data-live", "open"); });
  source.addEventListener("error", function () { body.setAttribute("data-live", "reconnecting"); });
})();
`

const require = createRequire(import.meta.url)

/**
 * uPlot's files, read from the installed package once.
 *
 * @since 0.2.0
 * @category assets
 */
export const uplot = (): { readonly js: string; readonly css: string } => ({
  js: fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
  css: fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8")
})
