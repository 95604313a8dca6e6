// The demo's trace view in a real headless Chromium (Debian's chromium driven by
// playwright-core): the page loads from the gateway, lists the trace a real request made
// through both demo services, opens it as a waterfall with every span on one time axis
// (children indented under their parents), shows a span's attributes on click, and shows the
// RED metrics of both services. The screenshot's pixels are read back: every span's bar is painted
// in its service's colour over the track (a copy goes to test-output/, not committed).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { request } from '../nest/helpers.js';
import { decodePng } from '../helpers/png.js';
import { eventually, spawnDemo } from './demo-process.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

/** The few DOM members the in-page callbacks read (the tests compile without the DOM lib). */
interface DomElement {
  readonly dataset: Record<string, string | undefined>;
  readonly style: { readonly paddingLeft: string; readonly left: string; readonly width: string };
  readonly textContent: string | null;
  readonly innerText: string;
  readonly children: ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
}

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

async function launch(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  // Not a skip: a machine without the browser cannot check the page, and must say so.
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: the trace view test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)`,
  );
  const profile = mkdtempSync(join(tmpdir(), 'ntc-trace-ui-'));
  // A fresh profile per run (playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

test('GET /traces/ui in headless Chromium: a real two-service trace listed, its waterfall with every span, attributes on click, RED per route', async (t) => {
  const demo = await spawnDemo('launcher.js', [], { PORT_GATEWAY: '0', PORT_ORDERS: '0' }, [
    /^Demo running: gateway (http:\/\/\S+) -> orders (http:\/\/\S+)$/,
  ]);
  t.after(() => demo.stop());
  const gateway = demo.matches[0]![1]!;

  const reply = await request(gateway, '/orders/42');
  assert.equal(reply.status, 200, reply.body);
  const traceId = reply.json<{ traceId: string }>().traceId;
  assert.equal((await request(gateway, '/orders/7')).status, 200);
  const spans = await eventually(async () => {
    const traces = (await request(gateway, '/traces')).json<{ traces: { traceId: string; spans: Span[] }[] }>().traces;
    const found = traces.find((tr) => tr.traceId === traceId);
    return found !== undefined && found.spans.length >= 5 ? found.spans : undefined;
  });
  assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), ['gateway', 'orders']);

  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  const external: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(gateway)) external.push(req.url());
  });

  const response = await page.goto(`${gateway}/traces/ui`);
  assert.equal(response?.status(), 200);
  assert.match(String(response?.headers()['content-type']), /^text\/html/);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60_000 });

  // The trace is listed, named by its root span (the gateway's server span).
  const item = page.locator(`#trace-list li[data-trace-id="${traceId}"]`);
  await item.waitFor({ timeout: 60_000 });
  assert.match(await item.innerText(), /GET \/orders\/:id/);
  assert.match(await item.innerText(), /gateway → orders|orders → gateway/);

  // Its waterfall: one row per span, in parent-before-child order, children indented deeper.
  await item.click();
  const rows = page.locator('#waterfall-body .wf-row');
  await page.waitForFunction(`document.querySelectorAll('#waterfall-body .wf-row').length === ${spans.length}`);
  const shown = await rows.evaluateAll((els) =>
    (els as unknown as DomElement[]).map((el) => {
      const label = el.querySelector('.wf-label')!;
      const bar = el.querySelector('.wf-bar')!;
      return {
        spanId: el.dataset['spanId']!,
        indent: parseFloat(label.style.paddingLeft),
        name: label.querySelector('.name')!.textContent,
        service: label.querySelector('.badge')!.textContent,
        left: parseFloat(bar.style.left),
        width: parseFloat(bar.style.width),
      };
    }),
  );
  assert.deepEqual(shown.map((r) => r.spanId).sort(), spans.map((s) => s.spanId).sort(), 'every span of the trace has a row');
  const byId = new Map(shown.map((r, i) => [r.spanId, { ...r, index: i }]));
  for (const span of spans) {
    const row = byId.get(span.spanId)!;
    assert.equal(row.name, span.name);
    assert.equal(row.service, span.service);
    assert.ok(row.left >= -1e-9 && row.left + row.width <= 100 + 1e-6, `${span.name} bar inside the time axis`);
    const parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    if (parent === undefined) assert.equal(row.indent, 8, `${span.name} is a root`);
    else {
      assert.ok(row.index > parent.index, `${span.name} below its parent`);
      assert.equal(row.indent, parent.indent + 16, `${span.name} indented one level under ${parent.name}`);
    }
  }
  // The root spans the whole axis.
  const root = shown.find((r) => r.indent === 8)!;
  assert.ok(root.left < 1 && root.width > 98, `root bar ${root.left}% + ${root.width}%`);
  assert.equal(await page.locator('.wf-axis span').first().innerText(), '0.00 ms');

  // Attributes on click.
  const price = spans.find((s) => s.name === 'orders.price')!;
  await page.locator(`.wf-row[data-span-id="${price.spanId}"] .wf-label`).click();
  const details = page.locator('#span-attributes');
  await details.waitFor();
  const text = await details.innerText();
  assert.match(text, /orders\.total/);
  assert.match(text, new RegExp(price.spanId));
  assert.equal(page.url(), `${gateway}/traces/ui#trace=${traceId}`);

  // RED metrics per route from both services (the table counts every request).
  const red = await page.locator('#red-table tbody tr').evaluateAll((els) =>
    (els as unknown as DomElement[]).map((el) => Array.from(el.children, (c) => c.innerText)),
  );
  const gatewayOrders = red.find((r) => r[0] === 'gateway' && r[1] === '/orders/:id' && r[2] === 'server');
  const ordersOrders = red.find((r) => r[0] === 'orders' && r[1] === '/orders/:id' && r[2] === 'server');
  assert.equal(gatewayOrders?.[4], '2', JSON.stringify(red));
  assert.equal(ordersOrders?.[4], '2', JSON.stringify(red));
  assert.ok(red.some((r) => r[0] === 'gateway' && r[2] === 'client'), 'the gateway\'s outbound calls are counted');

  // What Chromium painted: a pixel inside each span's bar has the bar's colour, and the track
  // just above the bar does not (a bar hidden, unstyled or mispositioned fails here).
  // The view re-renders every 2 s: stop it, so the bars read and the pixels taken are one frame.
  await page.locator('#auto').uncheck();
  mkdirSync(OUTPUT, { recursive: true });
  const image = decodePng(await page.screenshot({ path: join(OUTPUT, 'trace-ui.png') }));
  for (const span of spans) {
    const bar = page.locator(`.wf-row[data-span-id="${span.spanId}"] .wf-bar`);
    const box = (await bar.boundingBox())!;
    const colour = (await bar.evaluate((el) => (el as unknown as { ownerDocument: { defaultView: { getComputedStyle(e: unknown): { backgroundColor: string } } } }).ownerDocument.defaultView.getComputedStyle(el).backgroundColor))
      .match(/\d+/g)!
      .slice(0, 3)
      .map(Number);
    const x = Math.floor(box.x + Math.min(2, box.width / 2));
    const inside = image.pixel(x, Math.floor(box.y + box.height / 2)).slice(0, 3);
    const above = image.pixel(x, Math.floor(box.y) - 3).slice(0, 3);
    const near = (a: number[], b: number[]): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= 3);
    assert.ok(near(inside, colour), `${span.name}: painted ${inside} inside its bar, expected ${colour}`);
    assert.ok(!near(above, colour), `${span.name}: the track above the bar is ${above}, not the bar's colour`);
  }
  assert.deepEqual(problems, [], 'no script errors or CSP violations');
  assert.deepEqual(external, [], 'no request leaves the gateway\'s origin');
});
