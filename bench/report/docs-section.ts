// The generated part of docs/benchmarks.md: the gate table and the cost ladder of the last full
// run, written between the markers below from the report object itself, so no figure in the
// docs is typed by hand. `npm run bench` (full mode, default report directory) rewrites it;
// `node dist/bench/report/docs-section.js` rewrites it from reports/latest.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { formatVerdict } from '../gate.js';
import { ladderTable } from './ladder-table.js';
import type { BenchReport } from './model.js';

export const DOCS_FILE = new URL('../../../docs/benchmarks.md', import.meta.url);
const REPORT_FILE = new URL('../../../reports/latest.json', import.meta.url);
const BEGIN = '<!-- generated from reports/latest.json by bench/report/docs-section.ts: begin -->';
const END = '<!-- generated: end -->';

export function renderDocsSection(report: BenchReport): string {
  const env = report.environment;
  const out = [BEGIN, ''];
  out.push(`Last full run: ${env.date}, commit ${env.commit}, Node ${env.node}, ${env.cpuModel} × ${env.cpus}, load average ${env.loadAverage} → ${report.loadAverageEnd}; \`${report.command}\`.`, '');
  out.push(`Gate: **${report.gate.passed ? 'PASSED' : 'FAILED'}**`, '', '```');
  for (const v of report.gate.verdicts) out.push(formatVerdict(v));
  for (const f of report.gate.failures) out.push(`FAIL  ${f}`);
  out.push('```', '');
  if (report.http !== null && report.http.ladder.some((s) => s.status === 'ok')) {
    out.push('Where the CPU of a traced request goes (the cost ladder):', '');
    out.push(...ladderTable(report.http.ladder, report.http.baseline), '');
  }
  out.push(END);
  return out.join('\n');
}

/** Replaces the generated section of `text` (appends one when it has none). */
export function spliceSection(text: string, section: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start === -1 || end < start) return `${text.trimEnd()}\n\n${section}\n`;
  return text.slice(0, start) + section + text.slice(end + END.length);
}

export function writeDocsSection(report: BenchReport, file: URL = DOCS_FILE): void {
  writeFileSync(file, spliceSection(readFileSync(file, 'utf8'), renderDocsSection(report)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeDocsSection(JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as BenchReport);
  console.log(`updated ${DOCS_FILE.pathname} from ${REPORT_FILE.pathname}`);
}
