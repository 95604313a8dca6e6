// The demo's trace view: GET /traces/ui serves one static page (trace-ui.html: inline CSS and
// JS, no build step, no external assets) that reads GET /traces and GET /traces/red.
// GET /traces/red: this service's RED metrics as rows, merged with its upstreams' (the
// gateway shows the orders service's too), like GET /traces merges their spans.

import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { getRedMetrics } from '../../../nest/index.js';
import { TRACES_SOURCE, type TracesSource } from '../traces.controller.js';
import { redRows, type RedRow } from './red-rows.js';

/**
 * The page is read from the source tree once, at startup (tsc copies no .html into dist/):
 * from dist/examples/demo/ui/ that is ../../../../examples/demo/ui/.
 */
const PAGE_URL = new URL('../../../../examples/demo/ui/trace-ui.html', import.meta.url);

function loadPage(): string {
  try {
    return readFileSync(PAGE_URL, 'utf8');
  } catch (error) {
    throw new Error(`trace view page not found at ${PAGE_URL.pathname}: run the demo from the repository (npm start): ${(error as Error).message}`);
  }
}

@Controller('traces')
export class TraceUiController {
  private readonly page = loadPage();

  constructor(@Inject(TRACES_SOURCE) private readonly source: TracesSource) {}

  @Get('ui')
  @Header('content-type', 'text/html; charset=utf-8')
  // The page runs only its own inline script and talks only to this origin.
  @Header('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:")
  @Header('cache-control', 'no-store')
  ui(): string {
    return this.page;
  }

  @Get('red')
  async red(): Promise<{ service: string; rows: RedRow[]; unreachable: string[] }> {
    const red = getRedMetrics();
    const rows: RedRow[] = red === null ? [] : redRows(red);
    const unreachable: string[] = [];
    for (const upstream of this.source.upstreams) {
      try {
        const reply = await fetch(`${upstream}/traces/red`, { signal: AbortSignal.timeout(2000) });
        const body = (await reply.json()) as { rows?: RedRow[] };
        rows.push(...(body.rows ?? []));
      } catch {
        unreachable.push(upstream);
      }
    }
    return { service: this.source.service, rows, unreachable };
  }
}
