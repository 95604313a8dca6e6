// The Prometheus route scraped by a real Prometheus server (Debian's prometheus, its own TSDB in
// a temp dir, scraping every second): a Nest app at 1% sampling serves a known mix of requests,
// and the counts queried back through Prometheus's HTTP API are the exact ones, per route and
// status class, histogram included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RED_METRIC } from '../../../engine/index.js';
import { request, startApp } from '../helpers.js';
import { cleanupStack, startPrometheus } from '../../helpers/servers.js';
import { MetricsProbeModule } from './metrics-app.js';

interface QueryReply {
  status: string;
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/** One instant query; the value of its single sample, or null when it has none yet. */
async function queryOne(prometheus: string, query: string): Promise<number | null> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as QueryReply;
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data.result.length === 1 ? Number(body.data.result[0]!.value[1]) : null;
}

/** Polls until Prometheus returns `expected` for `query` (a scrape lands every second); the last value otherwise. */
async function settle(prometheus: string, query: string, expected: number, timeoutMs = 60_000): Promise<number | null> {
  const until = Date.now() + timeoutMs; // a hang guard: returns as soon as the value arrives
  let last: number | null = null;
  for (;;) {
    last = await queryOne(prometheus, query);
    if (last === expected || Date.now() > until) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('a real Prometheus server scrapes the route and its HTTP API returns the exact counts at 1% sampling', async (t) => {
  const defer = cleanupStack(t);
  const app = await startApp(
    MetricsProbeModule.with({
      tracing: { sampler: { type: 'parentbased_traceidratio', ratio: 0.01 }, exporters: [{ type: 'memory' }], outboundHttp: false },
      metrics: { serviceName: 'scraped', prometheus: { route: '/metrics' } },
    }),
  );
  defer(() => app.close());
  const prometheus = await startPrometheus([app.port], '/metrics');
  defer(() => prometheus.stop());

  const mix = [
    ...Array.from({ length: 120 }, () => ({ path: '/fast', status: 200 })),
    ...Array.from({ length: 50 }, (_, i) => ({ path: `/items/${i}`, status: 200 })),
    ...Array.from({ length: 30 }, (_, i) => ({ path: `/missing/${i}`, status: 404 })),
    ...Array.from({ length: 7 }, () => ({ path: '/boom', status: 500 })),
  ];
  for (const call of mix) assert.equal((await request(app.origin, call.path)).status, call.status);

  const requests = RED_METRIC.requests.promName;
  const errors = RED_METRIC.errors.promName;
  const duration = RED_METRIC.duration.promName;
  const expectations: Array<[string, number]> = [
    [`sum(${requests}{service_name="scraped",route="/fast",span_kind="server",status_class="2xx"})`, 120],
    [`sum(${requests}{service_name="scraped",route="/items/:id",status_class="2xx"})`, 50],
    [`sum(${requests}{route="/missing/:id",status_class="4xx"})`, 30],
    [`sum(${errors}{route="/boom",status_class="5xx"})`, 7],
    [`sum(${duration}_count{route="/items/:id"})`, 50],
    [`sum(${duration}_bucket{route="/items/:id",le="+Inf"})`, 50],
    [`sum(${requests}{span_kind="server"})`, mix.length],
    [`count(${requests}{job="app"})`, 4],
  ];
  for (const [query, expected] of expectations) {
    assert.equal(await settle(prometheus.url, query, expected), expected, query);
  }
  assert.equal(await queryOne(prometheus.url, 'up{job="app"}'), 1, 'the scrape target is up');
});
