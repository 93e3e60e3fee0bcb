/**
 * The charts as inline SVG, rendered here so the page needs neither network nor script. Each
 * mark carries its number in a `data-value` attribute and a <title> (the browser's tooltip), and
 * the numbers are printed as text, so the data reads without colour. Pure: data → markup.
 * Every string from the data goes through esc().
 */
import { esc, niceCeil, num } from './format.js';

/** Tableau 10: distinct for most colour vision; series past 10 also differ by dash. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;
const DASHES = ['', '6 3', '2 3', '8 3 2 3'] as const;

export const seriesColour = (i: number): string => PALETTE[i % PALETTE.length] as string;
const seriesDash = (i: number): string => DASHES[Math.floor(i / PALETTE.length) % DASHES.length] as string;

export interface Series {
  /** what the legend and tooltips call it */
  label: string;
  values: number[];
}

export interface LineChartInput {
  title: string;
  desc: string;
  /** one label per x position */
  xLabels: string[];
  series: Series[];
  /** what a value is, for tooltips: "risk" */
  unit: string;
}

const W = 960;

/** One line per series over shared x positions, y from 0; a numbered marker at each line's peak. */
export function lineChart(input: LineChartInput): string {
  const H = 320;
  const m = { top: 16, right: 24, bottom: 44, left: 60 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const n = input.xLabels.length;
  const yMax = niceCeil(Math.max(0, ...input.series.flatMap((s) => s.values)));
  const x = (i: number): number => m.left + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number): number => m.top + ph - (v / yMax) * ph;
  const out: string[] = [];
  out.push(svgOpen(W, H, input.title, input.desc, 'line-chart'));
  // grid and y axis: five round ticks
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(`<line class="grid" x1="${m.left}" x2="${W - m.right}" y1="${r(y(v))}" y2="${r(y(v))}"/>`);
    out.push(`<text class="tick" x="${m.left - 6}" y="${r(y(v)) + 4}" text-anchor="end">${num(v)}</text>`);
  }
  // x axis: about eight labels, from the first on
  const every = Math.max(1, Math.ceil(n / 8));
  input.xLabels.forEach((label, i) => {
    if (i % every !== 0) return;
    // the last label ends at the axis' end rather than running past the edge
    const anchor = n > 1 && i === n - 1 ? 'end' : 'middle';
    out.push(`<text class="tick" x="${r(x(i))}" y="${H - m.bottom + 18}" text-anchor="${anchor}">${esc(label)}</text>`);
  });
  out.push(`<line class="axis" x1="${m.left}" x2="${W - m.right}" y1="${m.top + ph}" y2="${m.top + ph}"/>`);
  input.series.forEach((s, si) => {
    const colour = seriesColour(si);
    const dash = seriesDash(si);
    const points = s.values.map((v, i) => `${r(x(i))},${r(y(v))}`).join(' ');
    out.push(`<g class="series" data-series="${si}" data-label="${esc(s.label)}" data-total="${sum(s.values)}">`);
    out.push(`<title>${esc(`${si + 1}. ${s.label}: ${num(sum(s.values))} ${input.unit} in all`)}</title>`);
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points}"/>`,
    );
    s.values.forEach((v, i) => {
      if (v === 0) return;
      out.push(
        `<circle class="point" cx="${r(x(i))}" cy="${r(y(v))}" r="3.5" fill="${colour}" data-bucket="${esc(input.xLabels[i] ?? '')}" data-value="${v}">` +
          `<title>${esc(`${s.label}, ${input.xLabels[i] ?? ''}: ${num(v)} ${input.unit}`)}</title></circle>`,
      );
    });
    out.push('</g>');
  });
  // each series' number at its peak, so lines can be told apart without colour; series that
  // peak at the same point share one label ("2·3") instead of hiding each other's
  const markers = new Map<string, { x: number; y: number; numbers: number[] }>();
  input.series.forEach((s, si) => {
    const peak = s.values.reduce((best, v, i) => (v > (s.values[best] ?? 0) ? i : best), 0);
    const v = s.values[peak] ?? 0;
    if (v <= 0) return;
    const at = `${peak}|${v}`;
    const marker = markers.get(at) ?? { x: r(x(peak)), y: r(y(v)) - 7, numbers: [] };
    marker.numbers.push(si + 1);
    markers.set(at, marker);
  });
  for (const mk of markers.values()) {
    out.push(`<text class="marker" x="${mk.x}" y="${mk.y}" text-anchor="middle">${mk.numbers.join('·')}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface Bar {
  label: string;
  value: number;
  /** printed after the value, e.g. "(4 events)" */
  note?: string;
  /** extra data-* attributes for the bar, e.g. { tactic: 'Impact' } */
  data?: Record<string, string | number>;
}

/** Horizontal bars, one row each, label left, the value printed at the bar's end. */
export function barChart(input: { title: string; desc: string; bars: Bar[]; unit: string }): string {
  const row = 26;
  const m = { top: 8, right: 200, bottom: 8, left: 190 };
  const H = m.top + m.bottom + row * input.bars.length;
  const pw = W - m.left - m.right;
  const max = Math.max(0, ...input.bars.map((b) => b.value));
  const out = [svgOpen(W, H, input.title, input.desc, 'bar-chart')];
  input.bars.forEach((b, i) => {
    const top = m.top + i * row;
    const w = max > 0 ? (b.value / max) * pw : 0;
    const attrs = Object.entries(b.data ?? {})
      .map(([k, v]) => ` data-${k}="${esc(v)}"`)
      .join('');
    const text = `${num(b.value)}${b.note ? ` ${b.note}` : ''}`;
    out.push(`<g class="bar"${attrs} data-value="${b.value}">`);
    out.push(`<title>${esc(`${b.label}: ${text} ${input.unit}`)}</title>`);
    out.push(`<text class="label" x="${m.left - 8}" y="${top + row / 2 + 4}" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<rect x="${m.left}" y="${top + 4}" width="${r(w)}" height="${row - 8}" rx="2"/>`);
    out.push(`<text class="value" x="${r(m.left + w + 6)}" y="${top + row / 2 + 4}">${esc(text)}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

/** A small bar for a table cell: value against the column's maximum. */
export function cellBar(value: number, max: number, label: string): string {
  const w = 120;
  const filled = max > 0 ? (value / max) * w : 0;
  return (
    `<svg class="cell-bar" width="${w}" height="12" viewBox="0 0 ${w} 12" role="img" aria-label="${esc(label)}">` +
    `<rect class="track" width="${w}" height="12" rx="2"/><rect class="fill" width="${r(filled)}" height="12" rx="2" data-value="${value}"/></svg>`
  );
}

export interface StripCell {
  label: string;
  value: number;
  /** drawn as a failure (a run of this bucket failed) */
  failed: boolean;
}

/** A strip of tiny columns over time (one per bucket): the small multiple of detection activity. */
export function strip(cells: StripCell[], max: number, title: string): string {
  const h = 24;
  const cw = Math.max(2, Math.min(16, Math.floor(320 / Math.max(1, cells.length))));
  const w = cw * cells.length;
  const out = [
    `<svg class="strip" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">`,
  ];
  cells.forEach((c, i) => {
    const bh = c.value > 0 ? Math.max(2, (c.value / Math.max(1, max)) * h) : 1;
    const cls = c.failed ? 'failed' : c.value > 0 ? 'hit' : 'none';
    out.push(
      `<rect class="${cls}" x="${i * cw}" y="${r(h - bh)}" width="${Math.max(1, cw - 1)}" height="${r(bh)}" data-value="${c.value}">` +
        `<title>${esc(`${c.label}: ${num(c.value)} findings${c.failed ? ', a run failed' : ''}`)}</title></rect>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

function svgOpen(w: number, h: number, title: string, desc: string, cls: string): string {
  const id = `svg-${cls}-${hash(title)}`;
  return (
    `<svg class="${cls}" viewBox="0 0 ${w} ${h}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" ` +
    `aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`
  );
}

const r = (v: number): number => Math.round(v * 10) / 10;
const sum = (vs: readonly number[]): number => vs.reduce((a, b) => a + b, 0);

/** A short stable id from text (ids must be unique per page; titles are). */
function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
