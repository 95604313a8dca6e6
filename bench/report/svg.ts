// reports/http-overhead.svg: per scenario, throughput as a ratio of the `nest` baseline and
// server CPU µs per request, medians with min–max whiskers. Plain SVG, no dependencies.
import type { HttpScenarioResult } from '../http/summary.js';
import type { Spread } from '../stats.js';

const ROW = 22;
const LABEL = 110;
const PANEL = 300;
const GAP = 60;
const TOP = 46;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function panel(x0: number, title: string, rows: ReadonlyArray<{ spread: Spread; color: string }>, scaleMax: number, refValue: number, fmt: (v: number) => string): string {
  const parts: string[] = [`<text x="${x0}" y="${TOP - 24}" font-weight="bold">${escape(title)}</text>`];
  const px = (v: number): number => x0 + (Math.max(0, v) / scaleMax) * PANEL;
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const s = row.spread;
    if (!Number.isFinite(s.median)) {
      parts.push(`<text x="${x0 + 4}" y="${y + 14}" fill="#888">n/a</text>`);
      return;
    }
    parts.push(`<rect x="${x0}" y="${y + 3}" width="${(px(s.median) - x0).toFixed(1)}" height="${ROW - 8}" fill="${row.color}"/>`);
    if (s.n > 1) {
      const my = y + ROW / 2 - 1;
      parts.push(`<line x1="${px(s.min).toFixed(1)}" x2="${px(s.max).toFixed(1)}" y1="${my}" y2="${my}" stroke="#222" stroke-width="1.5"/>`);
    }
    parts.push(`<text x="${(px(s.median) + 6).toFixed(1)}" y="${y + 15}" font-size="11">${escape(fmt(s.median))}</text>`);
  });
  const refX = px(refValue).toFixed(1);
  parts.push(`<line x1="${refX}" x2="${refX}" y1="${TOP - 4}" y2="${TOP + rows.length * ROW}" stroke="#c00" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${refX}" y="${TOP - 8}" font-size="10" fill="#c00" text-anchor="middle">nest</text>`);
  return parts.join('\n');
}

function colorOf(name: string): string {
  if (name.startsWith('ntc')) return '#2b7bb9';
  if (name.startsWith('otel')) return '#c9822b';
  if (name === 'nest') return '#555';
  return '#8a8a8a';
}

export function renderSvg(scenarios: readonly HttpScenarioResult[], baseline: string, stamp: string): string {
  const measured = scenarios.filter((s) => s.status === 'ok' && s.rounds.length > 0);
  const base = measured.find((s) => s.name === baseline);
  const height = TOP + measured.length * ROW + 40;
  const width = LABEL + 2 * PANEL + GAP + 80;
  const ratios = measured.map((s) => ({ spread: s.throughputRatio, color: colorOf(s.name) }));
  const cpu = measured.map((s) => ({ spread: s.cpuUsPerRequest, color: colorOf(s.name) }));
  const ratioMax = Math.max(1.2, ...measured.map((s) => s.throughputRatio.max).filter(Number.isFinite)) * 1.05;
  const cpuMax = Math.max(1, ...measured.map((s) => s.cpuUsPerRequest.max).filter(Number.isFinite)) * 1.05;
  const labels = measured.map((s, i) => `<text x="${LABEL - 8}" y="${TOP + i * ROW + 15}" text-anchor="end">${escape(s.name)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...labels,
    panel(LABEL, 'throughput / nest (median, min–max over rounds)', ratios, ratioMax, 1, (v) => v.toFixed(2)),
    panel(LABEL + PANEL + GAP, 'server CPU µs per request', cpu, cpuMax, base?.cpuUsPerRequest.median ?? 0, (v) => v.toFixed(1)),
    `<text x="8" y="${height - 12}" font-size="10" fill="#555">${escape(stamp)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
