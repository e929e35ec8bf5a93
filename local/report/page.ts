import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { reportCharts, type ReportChart } from './chart-specs';
import type { QueryAnswer, ReportData, ReportRow } from './report-data';

/** What the page says about where its figures come from and which plan's gates a load passed. */
export interface ReportContext {
  /** Where the figures were read: 'the offline warehouse at …' or 'cluster … through the Data API'. */
  readonly source: string;
  readonly generatedAt: Date;
  /** The gate steps of the load plan (buildLoadPlan, kind 'gate'): a succeeded load passed every one. */
  readonly gates: readonly string[];
}

const require = createRequire(import.meta.url);

/** A browser bundle of an npm package, read from beside its main module (the packages export no subpaths). */
function bundle(pkg: string, file: string): string {
  return readFileSync(path.join(path.dirname(require.resolve(pkg)), file), 'utf8');
}

let libraries: string | undefined;
/** vega, vega-lite and vega-embed, inlined so the page opens with no network. */
function chartLibraries(): string {
  libraries ??= [bundle('vega', 'vega.min.js'), bundle('vega-lite', 'vega-lite.min.js'), bundle('vega-embed', 'vega-embed.min.js')]
    .map((code) => `<script>${code.replace(/<\/(script)/gi, '<\\/$1')}</script>`)
    .join('\n');
  return libraries;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A value as the page prints it: counts with separators, DATE and TIMESTAMP as the query gives them (UTC). */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  return String(value);
}

/** A query's rows as an accessible table: caption, column headers as the query names them. */
function dataTable(answer: QueryAnswer, caption: string): string {
  const numeric = (column: string) =>
    answer.rows.length > 0 && answer.rows.every((row) => typeof row[column] === 'number' || row[column] === null);
  const head = answer.columns
    .map((column) => `<th scope="col"${numeric(column) ? ' class="num"' : ''}>${escapeHtml(column)}</th>`)
    .join('');
  const body = answer.rows
    .map(
      (row) =>
        `<tr>${answer.columns
          .map((column) => {
            const value = row[column];
            return `<td${typeof value === 'number' ? ' class="num"' : ''}>${escapeHtml(displayValue(value))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const empty = answer.rows.length === 0 ? `<tr><td colspan="${answer.columns.length}">No rows.</td></tr>` : '';
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(caption)}"><table data-query="${answer.name}">
<caption>${escapeHtml(caption)} <span class="source">(<code>npx sparkify query ${answer.name}</code>: ${answer.rows.length} ${answer.rows.length === 1 ? 'row' : 'rows'})</span></caption>
<thead><tr>${head}</tr></thead>
<tbody>${body}${empty}</tbody>
</table></div>`;
}

function chartPanel(chart: ReportChart, data: ReportData, extra = ''): string {
  return `<section class="panel" aria-labelledby="h-${chart.id}">
<h2 id="h-${chart.id}">${escapeHtml(chart.title)}</h2>
<p class="note">${escapeHtml(chart.note)}</p>
<div class="chart" id="chart-${chart.id}" data-query="${chart.query}" role="img" aria-label="${escapeHtml(chart.title)}: a chart of the table below"></div>
${dataTable(data[chart.query], `${chart.title}: the chart's data`)}
${extra}</section>`;
}

interface Figure {
  readonly key: string;
  readonly label: string;
  readonly value: unknown;
  readonly text: string;
}

function figureValue(f: Figure): string {
  return `<span data-figure="${f.key}" data-value="${escapeHtml(JSON.stringify(f.value ?? null))}">${escapeHtml(f.text)}</span>`;
}

/** Figures as a description list; each value carries its query's raw answer in data-value (the browser test compares them). */
function figures(list: readonly (Figure | { readonly label: string; readonly parts: readonly Figure[] })[], query: string): string {
  const item = (entry: (typeof list)[number]) =>
    'parts' in entry
      ? `<div><dt>${escapeHtml(entry.label)}</dt><dd class="period">${entry.parts.map(figureValue).join(' to<br>')}</dd></div>`
      : `<div><dt>${escapeHtml(entry.label)}</dt><dd>${figureValue(entry)}</dd></div>`;
  return `<dl class="figures" data-query="${query}">
${list.map(item).join('\n')}
</dl>`;
}

const percent = (value: unknown) => (value === null || value === undefined ? 'n/a' : `${displayValue(value)} %`);
const utc = (value: unknown) => (typeof value === 'string' ? value.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC' : 'n/a');

function headline(row: ReportRow | undefined): string {
  const r = row ?? {};
  return figures(
    [
      { key: 'plays', label: 'Plays', value: r.plays, text: displayValue(r.plays) },
      { key: 'listeners', label: 'Listeners', value: r.listeners, text: displayValue(r.listeners) },
      { key: 'paid_share_pct', label: 'Plays by paid users', value: r.paid_share_pct, text: percent(r.paid_share_pct) },
      { key: 'matched_share_pct', label: 'Plays matched to a song', value: r.matched_share_pct, text: percent(r.matched_share_pct) },
      {
        label: 'Period covered (first and last play)',
        parts: [
          { key: 'first_play_utc', label: 'First play', value: r.first_play_utc, text: utc(r.first_play_utc) },
          { key: 'last_play_utc', label: 'Last play', value: r.last_play_utc, text: utc(r.last_play_utc) },
        ],
      },
    ],
    'headline',
  );
}

/** The latest load (recent_loads is newest first) when it did not succeed: failed, or still running. */
function unsucceededLatest(data: ReportData): ReportRow | undefined {
  const [latest] = data.recent_loads.rows;
  return latest && latest.outcome !== 'succeeded' ? latest : undefined;
}

function latestHeading(latest: ReportRow): string {
  return latest.outcome === 'failed' ? 'The latest load failed' : 'The latest load has not finished';
}

/** How much of a failed load's error the alert shows: the whole of it (up to 4 KB) is in the recent loads' table. */
const ALERT_ERROR_CHARS = 300;

/**
 * The latest load, when it did not succeed, said before anything else: the figures below are then
 * the last succeeded load's, which the alert names (a failed load rolls back and leaves them as they were).
 */
function latestLoadAlert(data: ReportData): string {
  const latest = unsucceededLatest(data);
  if (!latest) return '';
  const held = data.recent_loads.rows.find((row) => row.outcome === 'succeeded');
  const id = (row: ReportRow) => `<code>${escapeHtml(String(row.load_id))}</code>`;
  const error = typeof latest.error === 'string' ? latest.error : '';
  const shown = error.length > ALERT_ERROR_CHARS ? `${error.slice(0, ALERT_ERROR_CHARS)}…` : error;
  const what =
    latest.outcome === 'failed'
      ? `failed${shown ? `: <q>${escapeHtml(shown)}</q>` : ''}. It was rolled back`
      : `has not finished (its outcome is ${escapeHtml(String(latest.outcome))})`;
  const figures = held
    ? `the figures below are those of load ${id(held)}, which succeeded at ${escapeHtml(utc(held.finished_at))}`
    : 'the figures below are those of the last load that succeeded, none of the ten listed under Recent loads';
  return `<section class="alert" role="alert" aria-labelledby="h-latest-load" data-latest-load="${escapeHtml(String(latest.load_id))}">
<h2 id="h-latest-load">${latestHeading(latest)}</h2>
<p>Load ${id(latest)}, started ${escapeHtml(utc(latest.started_at))}, ${what}: ${figures}.</p>
</section>`;
}

function dataQuality(data: ReportData, context: ReportContext): string {
  const q = data.data_quality.rows[0] ?? {};
  const quality = figures(
    [
      {
        key: 'unmatched_plays',
        label: 'Plays with no song in the catalog',
        value: q.unmatched_plays,
        text: displayValue(q.unmatched_plays),
      },
      { key: 'unmatched_share_pct', label: 'Share of plays unmatched', value: q.unmatched_share_pct, text: percent(q.unmatched_share_pct) },
      { key: 'plays_without_user', label: 'Plays without a user', value: q.plays_without_user, text: displayValue(q.plays_without_user) },
      {
        key: 'latest_load_rejected_records',
        label: 'Records COPY rejected in the latest load',
        value: q.latest_load_rejected_records,
        text: displayValue(q.latest_load_rejected_records),
      },
    ],
    'data_quality',
  );
  const succeeded = data.recent_loads.rows.find((row) => row.outcome === 'succeeded');
  const gates = succeeded
    ? `<ul class="gates" aria-label="Quality gates">${context.gates
        .map(
          (gate) =>
            `<li><span class="pass">pass</span> <code>${escapeHtml(gate)}</code> passed in load <code>${escapeHtml(String(succeeded.load_id))}</code></li>`,
        )
        .join('\n')}</ul>`
    : '<p>No succeeded load in the recent loads: no gates to show.</p>';
  return `<h3>Figures</h3>
${quality}
${dataTable(data.data_quality, 'Data quality: the figures above')}
<h3>Quality gates</h3>
<p class="note">A load commits only when every gate of the load plan finds no failing rows.</p>
${gates}
`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f7}
header,main,footer{max-width:1180px;margin:0 auto;padding:12px 16px}
h1{font-size:1.5rem;margin:.4em 0 .1em}
h2{font-size:1.1rem;margin:0 0 .2em}
h3{font-size:1rem;margin:1em 0 .3em}
.meta,.note,.source{color:#555;font-size:.85rem}
.note{margin:0 0 .5em}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:16px}
.panel{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:14px;min-width:0}
.panel.wide{grid-column:1/-1}
.chart{width:100%;min-width:0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0}
.figures div{background:#f7f9fb;border:1px solid #e3e7eb;border-radius:6px;padding:8px 10px}
.figures dt{color:#555;font-size:.8rem}
.figures dd{margin:0;font-size:1.35rem;font-weight:600;overflow-wrap:anywhere}
.figures dd.period{font-size:.95rem;line-height:1.5}
.figures div:has(dd.period){grid-column:span 2}
.table-wrap{overflow:auto;max-width:100%;max-height:18em;margin-top:8px;border:1px solid #eef0f2;border-radius:4px}
.table-wrap:focus{outline:2px solid #1f6fb4}
thead th{position:sticky;top:0;background:#fff}
table{border-collapse:collapse;font-size:.85rem;min-width:min(100%,36em)}
caption{text-align:left;font-weight:600;padding:4px 8px}
th,td{border-bottom:1px solid #e3e7eb;padding:3px 10px;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.gates{list-style:none;padding:0;margin:0}
.gates li{overflow-wrap:anywhere}
.pass{display:inline-block;background:#2e8540;color:#fff;border-radius:4px;padding:0 6px;font-size:.8rem}
code{font-size:.85em;overflow-wrap:anywhere}
#render-error{color:#c0392b}
.alert{background:#fdecea;border:1px solid #c0392b;border-left:6px solid #c0392b;border-radius:8px;padding:8px 14px;margin:.6em 0;overflow-wrap:anywhere}
.alert h2{color:#a93226}
.alert p{margin:.3em 0}
`;

/**
 * Draws every chart with vega-embed (SVG, the container's width) and exposes each Vega view as
 * window.sparkifyViews[id]; when all are drawn, html[data-rendered] is 'ok' and
 * window.sparkifyRenderMs the time since navigation began (the browser test and the bench read them).
 */
const RENDER_SCRIPT = `
(function () {
  var charts = JSON.parse(document.getElementById('sparkify-charts').textContent);
  window.sparkifyViews = {};
  Promise.all(charts.map(function (chart) {
    return vegaEmbed('#chart-' + chart.id, chart.spec, { actions: false, renderer: 'svg' }).then(function (result) {
      window.sparkifyViews[chart.id] = result.view;
    });
  })).then(function () {
    window.sparkifyRenderMs = performance.now();
    document.documentElement.setAttribute('data-rendered', 'ok');
  }, function (error) {
    document.documentElement.setAttribute('data-rendered', 'error');
    document.getElementById('render-error').textContent = 'A chart failed to draw: ' + error;
    console.error(error);
  });
})();
`;

/** The page's title: a latest load that did not succeed comes first, as in the page. */
function titleOf(data: ReportData): string {
  const latest = unsucceededLatest(data);
  return `${latest ? `${latestHeading(latest)}: ` : ''}Sparkify listening report`;
}

/** The report as one self-contained HTML page: figures, charts with their tables, the libraries inlined. */
export function reportHtml(data: ReportData, context: ReportContext): string {
  const charts = reportCharts(data);
  const byId = new Map(charts.map((chart) => [chart.id, chart]));
  const panel = (id: string, extra = '', wide = false) => {
    const chart = byId.get(id) as ReportChart;
    return chartPanel(chart, data, extra).replace('<section class="panel"', `<section class="panel${wide ? ' wide' : ''}"`);
  };
  const period =
    data.headline.rows[0] && typeof data.headline.rows[0].first_play_utc === 'string'
      ? `${utc(data.headline.rows[0].first_play_utc)} to ${utc(data.headline.rows[0].last_play_utc)}`
      : 'no plays loaded';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(titleOf(data))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Sparkify listening report</h1>
${latestLoadAlert(data)}
<p class="meta">Plays from ${escapeHtml(period)}. Read from ${escapeHtml(context.source)} at ${escapeHtml(context.generatedAt.toISOString())}. Times are UTC. Every figure is a named query of <code>sql/queries/</code>: <code>npx sparkify query NAME</code> gives the same rows.</p>
<p id="render-error" role="alert"></p>
</header>
<main>
<section class="panel wide" aria-labelledby="h-headline">
<h2 id="h-headline">Headline figures</h2>
${headline(data.headline.rows[0])}
${dataTable(data.headline, 'Headline figures')}
</section>
<div class="grid">
${panel('plays-by-hour')}
${panel('plays-by-weekday')}
${panel('plays-by-day', '', true)}
${panel('level-by-day', '', true)}
${panel('top-songs')}
${panel('top-artists')}
${panel('top-locations')}
<section class="panel wide" aria-labelledby="h-data-quality">
<h2 id="h-data-quality">Data quality</h2>
${dataQuality(data, context)}
</section>
${panel('recent-loads', '', true)}
</div>
</main>
<footer class="meta">Charts drawn with Vega-Lite (vega, vega-lite and vega-embed, inlined: the page needs no network).</footer>
<script type="application/json" id="sparkify-charts">${scriptJson(charts.map(({ id, spec }) => ({ id, spec })))}</script>
${chartLibraries()}
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}
