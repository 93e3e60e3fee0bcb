/**
 * The HTML report: data → one self-contained page (inline CSS, inline SVG, no script, no
 * external anything; a Content-Security-Policy forbids loading or running anything, as a second
 * line behind the escaping). Pure: the same data gives the same bytes.
 */
import { DateTime } from 'luxon';
import { esc, minute, num } from './format.js';
import type { BucketUnit, DetectionActivity, HtmlReportData, IncidentRow, TopObject } from './model.js';
import { barChart, cellBar, lineChart, seriesColour, strip } from './svg.js';

const LABEL: Record<BucketUnit, string> = {
  hour: "yyyy-MM-dd HH':00'",
  day: 'yyyy-MM-dd',
  week: "'week of' yyyy-MM-dd",
  month: 'yyyy-MM',
};

/** A bucket start as the charts label it. */
export function bucketLabel(start: string, unit: BucketUnit): string {
  return DateTime.fromISO(start, { zone: 'utc' }).toFormat(LABEL[unit]);
}

export function renderReportPage(data: HtmlReportData): string {
  const range = `${minute(data.since)} to ${minute(data.until)} UTC`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="hunt">',
    `<title>${esc(`hunt risk report, ${range}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(data),
    '<main>',
    riskOverTime(data),
    riskByTactic(data),
    detectionActivity(data),
    incidents(data),
    topObjects(data),
    '</main>',
    `<footer><p>Made by hunt at ${esc(minute(data.generatedAt))} UTC. Times are UTC; a risk event counts at the end of the window its run searched.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(data: HtmlReportData): string {
  const t = data.totals;
  const stat = (key: string, label: string, value: string, note = ''): string =>
    `<div class="stat" data-stat="${key}"><dt>${label}</dt><dd><span class="value">${value}</span>${note ? ` <span class="note">${note}</span>` : ''}</dd></div>`;
  return [
    '<header>',
    '<h1>Risk report</h1>',
    `<p class="range">From <time datetime="${esc(data.since)}">${esc(minute(data.since))}</time> to <time datetime="${esc(data.until)}">${esc(minute(data.until))}</time> UTC (${data.buckets.length} ${data.unit}s)</p>`,
    '<dl class="totals">',
    stat('risk_events', 'Risk events', num(t.risk_events), `${num(t.total_score)} risk in all`),
    stat('objects', 'Risk objects', num(t.objects)),
    stat('incidents', 'Incidents', num(t.incidents), `${num(t.open_incidents)} open`),
    stat('detections', 'Detections', num(t.detections), `${num(t.runs)} runs, ${num(t.failed_runs)} failed`),
    '</dl>',
    '</header>',
  ].join('\n');
}

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h">\n<h2 id="${id}-h">${heading}</h2>\n${body}\n</section>`;
}

const objectLabel = (o: { risk_object: string; risk_object_type: string }): string =>
  `${o.risk_object} (${o.risk_object_type})`;

function riskOverTime(data: HtmlReportData): string {
  const heading = `Risk over time, top ${data.top.length} objects`;
  if (data.top.length === 0)
    return section('risk-over-time', heading, '<p class="empty">No risk events in this range.</p>');
  const labels = data.buckets.map((b) => bucketLabel(b, data.unit));
  const chart = lineChart({
    title: `Risk score per ${data.unit} of the ${data.top.length} riskiest objects`,
    desc: `One line per object, numbered as in the legend; ${range(data)}. ${data.top.map((o, i) => `${i + 1}. ${objectLabel(o)}: ${num(o.total_score)}`).join('; ')}.`,
    xLabels: labels,
    series: data.top.map((o) => ({ label: objectLabel(o), values: o.series })),
    unit: 'risk',
  });
  const legend = [
    '<ol class="legend" aria-label="Legend">',
    ...data.top.map(
      (o, i) =>
        `<li data-series="${i}" data-object="${esc(o.risk_object)}" data-value="${o.total_score}"><span class="swatch" style="background:${seriesColour(i)}"></span>` +
        `<span class="name">${esc(o.risk_object)}</span> <span class="type">${esc(o.risk_object_type)}</span> <span class="value">${num(o.total_score)}</span></li>`,
    ),
    '</ol>',
  ].join('');
  const rows = data.top.map(
    (o, i) =>
      `<tr><th scope="row">${i + 1}. ${esc(objectLabel(o))}</th>${o.series.map((v) => `<td>${v === 0 ? '' : num(v)}</td>`).join('')}</tr>`,
  );
  const table = dataTable(
    `<tr><th scope="col">Object</th>${labels.map((l) => `<th scope="col">${esc(l)}</th>`).join('')}</tr>`,
    rows,
  );
  return section(
    'risk-over-time',
    heading,
    `<figure>${chart}${legend}<figcaption>Risk score per ${data.unit} (UTC) of the ${data.top.length} objects with the most risk in the range; the number at each line's peak is the object's rank.</figcaption>${table}</figure>`,
  );
}

function riskByTactic(data: HtmlReportData): string {
  const chart = barChart({
    title: 'Risk by ATT&CK tactic',
    desc: `Risk score per MITRE ATT&CK tactic, in matrix order; ${range(data)}. ${data.tactics.map((t) => `${t.tactic}: ${num(t.score)}`).join('; ')}.`,
    bars: data.tactics.map((t) => ({
      label: t.tactic,
      value: t.score,
      note: `(${num(t.events)} ${t.events === 1 ? 'event' : 'events'}, ${num(t.objects)} ${t.objects === 1 ? 'object' : 'objects'})`,
      data: { tactic: t.tactic, events: t.events },
    })),
    unit: 'risk',
  });
  return section(
    'risk-by-tactic',
    'Risk by tactic',
    `<figure>${chart}<figcaption>Risk score per ATT&amp;CK tactic of the detections' techniques. A risk event counts in full for each tactic it carries, so the bars add up to more than the total.</figcaption></figure>`,
  );
}

function detectionActivity(data: HtmlReportData): string {
  if (data.detections.length === 0)
    return section('detections', 'Detection activity', '<p class="empty">No runs in this range.</p>');
  const maxRisk = Math.max(0, ...data.detections.map((d) => d.risk_score));
  const maxFindings = Math.max(0, ...data.detections.flatMap((d) => d.activity.map((a) => a.findings)));
  const row = (d: DetectionActivity): string => {
    const cells = d.activity.map((a, i) => ({
      label: bucketLabel(data.buckets[i] ?? '', data.unit),
      value: a.findings,
      failed: a.failed > 0,
    }));
    return (
      `<tr data-detection="${esc(d.detection_id)}"><th scope="row">${esc(d.detection_name)}</th>` +
      `<td class="n" data-col="runs">${num(d.runs)}</td><td class="n${d.failed > 0 ? ' bad' : ''}" data-col="failed">${num(d.failed)}</td>` +
      `<td class="n" data-col="findings">${num(d.findings)}</td><td class="n" data-col="risk_events">${num(d.risk_events)}</td>` +
      `<td class="n" data-col="risk_score">${num(d.risk_score)}</td><td>${cellBar(d.risk_score, maxRisk, `${d.detection_name}: ${num(d.risk_score)} risk`)}</td>` +
      `<td>${strip(cells, maxFindings, `${d.detection_name}: findings per ${data.unit}`)}</td><td>${esc(minute(d.last_window))}</td></tr>`
    );
  };
  const body = [
    '<figure>',
    '<table class="detections">',
    `<thead><tr><th scope="col">Detection</th><th scope="col">Runs</th><th scope="col">Failed</th><th scope="col">Findings</th><th scope="col">Risk events</th><th scope="col">Risk</th><th scope="col"><span class="sr">Risk bar</span></th><th scope="col">Findings per ${data.unit}</th><th scope="col">Last window</th></tr></thead>`,
    `<tbody>${data.detections.map(row).join('\n')}</tbody>`,
    '</table>',
    `<figcaption>Per detection: runs whose window ended in the range, failed runs, result rows (findings), the risk they raised, and findings per ${data.unit} (red: a run failed).</figcaption>`,
    '</figure>',
  ].join('\n');
  return section('detections', 'Detection activity', body);
}

function incidents(data: HtmlReportData): string {
  const { rows, total } = data.incidents;
  const heading = 'Incidents';
  if (rows.length === 0) return section('incidents', heading, '<p class="empty">No incidents in this range.</p>');
  const row = (i: IncidentRow): string =>
    `<tr data-incident="${esc(i.id)}"><td>${esc(minute(i.window_end))}</td><td>${esc(i.rule)}</td><td class="status-${i.status === 'open' ? 'open' : 'closed'}">${esc(i.status)}</td>` +
    `<th scope="row">${esc(i.risk_object)}</th><td>${esc(i.risk_object_type)}</td><td class="n" data-col="total_score">${num(i.total_score)}</td>` +
    `<td class="n">${num(i.risk_events)}</td><td>${list(i.detections)}</td><td>${list(i.tactics)}</td><td>${esc(minute(i.first_time))} to ${esc(minute(i.last_time))}</td></tr>`;
  const shown = rows.length < total ? `<p class="note">The newest ${rows.length} of ${total} incidents.</p>` : '';
  return section(
    'incidents',
    heading,
    [
      '<table class="incidents">',
      '<caption>Risk incidents raised by the incident rules, newest first</caption>',
      '<thead><tr><th scope="col">Window end</th><th scope="col">Rule</th><th scope="col">Status</th><th scope="col">Object</th><th scope="col">Type</th><th scope="col">Score</th><th scope="col">Risk events</th><th scope="col">Detections</th><th scope="col">Tactics</th><th scope="col">Evidence</th></tr></thead>',
      `<tbody>${rows.map(row).join('\n')}</tbody>`,
      '</table>',
      shown,
    ].join('\n'),
  );
}

function topObjects(data: HtmlReportData): string {
  if (data.top.length === 0)
    return section('top-objects', 'Top objects', '<p class="empty">No risk events in this range.</p>');
  const max = Math.max(0, ...data.top.map((o) => o.total_score));
  const row = (o: TopObject, i: number): string =>
    `<tr data-object="${esc(o.risk_object)}"><td class="n">${i + 1}</td><th scope="row">${esc(o.risk_object)}</th><td>${esc(o.risk_object_type)}</td>` +
    `<td class="n" data-col="total_score">${num(o.total_score)}</td><td>${cellBar(o.total_score, max, `${o.risk_object}: ${num(o.total_score)} risk`)}</td>` +
    `<td class="n" data-col="events">${num(o.events)}</td><td class="n" data-col="detections">${num(o.detections)}</td><td>${list(o.tactics)}</td>` +
    `<td>${esc(minute(o.first_time))}</td><td>${esc(minute(o.last_time))}</td></tr>`;
  return section(
    'top-objects',
    'Top objects',
    [
      '<table class="top-objects">',
      `<caption>The ${data.top.length} risk objects with the most risk in the range</caption>`,
      '<thead><tr><th scope="col">#</th><th scope="col">Object</th><th scope="col">Type</th><th scope="col">Risk</th><th scope="col"><span class="sr">Risk bar</span></th><th scope="col">Events</th><th scope="col">Detections</th><th scope="col">Tactics</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>',
      `<tbody>${data.top.map(row).join('\n')}</tbody>`,
      '</table>',
    ].join('\n'),
  );
}

function dataTable(head: string, rows: string[]): string {
  return `<details><summary>The numbers</summary><div class="scroll"><table class="data"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

const list = (items: readonly string[]): string => items.map(esc).join(', ');
const range = (data: HtmlReportData): string => `${minute(data.since)} to ${minute(data.until)} UTC`;

const CSS = `
:root{color-scheme:light;--ink:#1d2329;--muted:#5b6670;--line:#d9dee3;--bg:#f6f7f9;--card:#fff;--bar:#4e79a7;--bad:#c0392b}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:17px;margin:0 0 12px}
.range{color:var(--muted);margin:0 0 16px}
.totals{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:0 0 20px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px}
.stat dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.stat dd{margin:0}.stat .value{font-size:24px;font-weight:600}.stat .note{color:var(--muted);font-size:12px;display:block}
section{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:16px 18px;margin:0 0 18px}
figure{margin:0}figcaption{color:var(--muted);font-size:12px;margin-top:6px}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
svg .tick{fill:var(--muted)}svg .grid{stroke:#eceff2}svg .axis{stroke:#9aa5ae}
svg .marker{font-weight:700;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}
.bar-chart rect{fill:var(--bar)}.bar-chart .value{fill:var(--muted)}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0 0;counter-reset:s}
.legend li{counter-increment:s;display:flex;align-items:center;gap:5px}
.legend li::before{content:counter(s) ".";font-weight:700}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.legend .type{color:var(--muted);font-size:12px}.legend .value{font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-size:13px}
caption{text-align:left;color:var(--muted);font-size:12px;padding-bottom:6px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
thead th{font-size:12px;color:var(--muted);font-weight:600}
tbody th{font-weight:600;overflow-wrap:anywhere}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.bad{color:var(--bad);font-weight:600}
.cell-bar .track{fill:#eceff2}.cell-bar .fill{fill:var(--bar)}
.strip .hit{fill:var(--bar)}.strip .none{fill:#dfe3e7}.strip .failed{fill:var(--bad)}
.status-open{color:var(--bad);font-weight:600}
details{margin-top:8px}summary{cursor:pointer;color:var(--muted);font-size:12px}
.scroll{overflow-x:auto}table.data td,table.data th{white-space:nowrap;font-size:11px}
.empty,.note{color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding-bottom:24px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:800px){.totals{grid-template-columns:repeat(2,1fr)}}
`;
