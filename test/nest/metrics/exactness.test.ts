// RED metrics through real requests are exact at 1% sampling: a Nest + Fastify app on port 0
// serves 10,000 requests with a known mix of routes, statuses and delays; the Prometheus route,
// read back with a Prometheus text-format parser, holds exactly the true request and error
// counts per (route, kind, status class), and exactly the bucket counts of the durations the
// request hooks measured (told independently to an onRequestEnd observer); each delayed route
// is never counted below its delay's bucket; the client's own round-trip times, which bound each
// server duration from above, never put more requests under a bound than the histogram does;
// and only about 1% of the requests were traced.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { DEFAULT_BOUNDARIES_MS } from '../../../engine/index.js';
import { getFinishedSpans, resetFinishedSpans, flushSpans } from '../../../nest/testing/index.js';
import { startApp } from '../helpers.js';
import { ITEM_DELAY_MS, MetricsProbeModule, ORDER_DELAY_MS } from './metrics-app.js';
import { familyTypes, readScrape, seriesKey } from './prometheus-samples.js';

const TOTAL = 10_000;
const CONCURRENCY = 32;

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The series it must land in: route label, status class. */
  readonly route: string;
  readonly status: number;
  readonly minMs: number;
}

// One cycle of 20 requests; 500 cycles make 10,000.
const CYCLE: readonly Call[] = [
  ...Array.from({ length: 8 }, (): Call => ({ method: 'GET', path: '/fast', route: '/fast', status: 200, minMs: 0 })),
  ...Array.from({ length: 4 }, (_, i): Call => ({ method: 'GET', path: `/items/${i}`, route: '/items/:id', status: 200, minMs: ITEM_DELAY_MS })),
  ...Array.from({ length: 3 }, (): Call => ({ method: 'POST', path: '/orders', route: '/orders', status: 201, minMs: ORDER_DELAY_MS })),
  ...Array.from({ length: 2 }, (_, i): Call => ({ method: 'GET', path: `/missing/${i}`, route: '/missing/:id', status: 404, minMs: 0 })),
  ...Array.from({ length: 2 }, (): Call => ({ method: 'GET', path: '/boom', route: '/boom', status: 500, minMs: 0 })),
  { method: 'GET', path: '/no/such/path', route: 'GET', status: 404, minMs: 0 },
];

function send(agent: http.Agent, port: number, call: Call): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = call.method === 'POST' ? '{"sku":"a"}' : undefined;
    const req = http.request(
      { host: '127.0.0.1', port, path: call.path, method: call.method, agent, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${call.path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function get(agent: http.Agent, port: number, path: string): Promise<{ type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** Requests counted in a scrape, leaving out the scrape route's own. */
function totalRequests(text: string): number {
  let n = 0;
  for (const [key, s] of readScrape(text)) if (!key.startsWith('/metrics|')) n += s.requests;
  return n;
}

function classOf(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

test('10,000 real requests at 1% sampling: Prometheus counts and histogram buckets equal the true values exactly', async (t) => {
  resetFinishedSpans();
  const measured = new Map<string, number[]>();
  const app = await startApp(
    MetricsProbeModule.with({
      tracing: { sampler: { type: 'parentbased_traceidratio', ratio: 0.01 }, exporters: [{ type: 'memory' }], outboundHttp: false },
      metrics: { serviceName: 'exactness', prometheus: { route: '/metrics' } },
      onRequestEnd: (route, method, status, ms) => {
        const key = seriesKey(route === '' ? method : route, 'server', classOf(status));
        let list = measured.get(key);
        if (list === undefined) measured.set(key, (list = []));
        list.push(ms);
      },
    }),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.after(async () => {
    agent.destroy();
    await app.close();
  });

  const expected = new Map<string, { count: number; errors: number; minMs: number }>();
  for (const call of CYCLE) {
    const key = seriesKey(call.route, 'server', classOf(call.status));
    const e = expected.get(key) ?? { count: 0, errors: 0, minMs: call.minMs };
    e.count += TOTAL / CYCLE.length;
    if (call.status >= 500) e.errors += TOTAL / CYCLE.length;
    expected.set(key, e);
  }

  let next = 0;
  const wrongStatus: string[] = [];
  const roundTrips = new Map<string, number[]>();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const call = CYCLE[next++ % CYCLE.length]!;
        const sent = performance.now();
        const status = await send(agent, app.port, call);
        const key = seriesKey(call.route, 'server', classOf(status));
        let trips = roundTrips.get(key);
        if (trips === undefined) roundTrips.set(key, (trips = []));
        trips.push(performance.now() - sent);
        if (status !== call.status && wrongStatus.length < 5) wrongStatus.push(`${call.method} ${call.path}: ${status}`);
      }
    }),
  );
  assert.deepEqual(wrongStatus, []);

  // The observer runs on each response's 'finish', which can come after the client read the
  // response: scrape until every request is in (bounded), then compare.
  let scrape = await get(agent, app.port, '/metrics');
  for (let i = 0; i < 50 && totalRequests(scrape.body) < TOTAL; i++) scrape = await get(agent, app.port, '/metrics');
  assert.equal(scrape.type, 'text/plain; version=0.0.4; charset=utf-8');
  assert.deepEqual(familyTypes(scrape.body), {
    ntc_requests_total: 'COUNTER',
    ntc_request_errors_total: 'COUNTER',
    ntc_request_duration_milliseconds: 'HISTOGRAM',
  });
  const series = readScrape(scrape.body);

  for (const [key, e] of expected) {
    const s = series.get(key);
    assert.ok(s !== undefined, `series ${key} missing from the scrape`);
    assert.equal(s.labels['service_name'], 'exactness');
    assert.equal(s.requests, e.count, `${key} requests`);
    assert.equal(s.count, e.count, `${key} histogram count`);
    assert.equal(s.errors, e.errors, `${key} errors`);
    // The true bucket counts of the durations the hooks measured for this series.
    const durations = measured.get(key)!;
    assert.equal(durations.length, e.count);
    for (const bound of DEFAULT_BOUNDARIES_MS) {
      const inBucket = durations.filter((d) => d <= bound).length;
      assert.equal(s.buckets[String(bound)], inBucket, `${key} le=${bound}`);
      // delay(d) lasts d ms on the span clock the hooks read: a delayed route is never counted under its delay.
      if (bound < e.minMs) assert.equal(inBucket, 0, `${key} has requests faster than its ${e.minMs} ms delay`);
      // The client's round trip contains the server's handling: every request the client saw
      // finish within the bound was also handled within it.
      const clientWithin = roundTrips.get(key)!.filter((d) => d <= bound).length;
      assert.ok(s.buckets[String(bound)]! >= clientWithin, `${key} le=${bound}: ${s.buckets[String(bound)]} counted, ${clientWithin} round trips within`);
    }
    assert.equal(s.buckets['+Inf'], e.count);
    const trueSum = durations.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s.sum - trueSum) < 1e-6 * Math.max(1, trueSum), `${key} sum ${s.sum} vs ${trueSum}`);
  }
  // Nothing but these series and the scrape route itself (counted once its response ended).
  const others = [...series.keys()].filter((k) => !expected.has(k) && !k.startsWith('/metrics|'));
  assert.deepEqual(others, []);

  // Sampling really was 1%: about 100 of the 10,000 server spans were exported.
  await flushSpans();
  const traced = getFinishedSpans().filter((s) => s.kind === 1).length;
  assert.ok(traced > 30 && traced < 250, `${traced} sampled server spans, expected about 100`);
});
