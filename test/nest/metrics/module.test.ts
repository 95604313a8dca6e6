// The `metrics` module option: validated at startup, the Prometheus route on the app's Fastify
// or Express instance (the route tests run on both), every request counted with tracing sampled, unsampled or off, outbound HTTP client
// spans counted through the tracer's span-end hook, and the OTLP push started and stopped with
// the app (its last export reaches a real HTTP sink at app.close()).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { getRedMetrics } from '../../../nest/index.js';
import { resolveOptions } from '../../../nest/options/resolve-options.js';
import { PLATFORMS, request, startApp, waitFor } from '../helpers.js';
import { startSink } from '../../engine/metrics/helpers.js';
import { MetricsProbeModule } from './metrics-app.js';
import { readScrape, seriesKey } from './prometheus-samples.js';

const BAD: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ['metrics not an object', 'yes', /Invalid option metrics: got "yes"/],
  ['unknown metrics key', { prometheus: {}, histogram: true }, /Invalid option metrics\.histogram/],
  ['enabled not a boolean', { enabled: 'on' }, /metrics\.enabled.*true or false/],
  ['route without a slash', { prometheus: { route: 'metrics' } }, /metrics\.prometheus\.route/],
  ['route with a space', { prometheus: { route: '/me trics' } }, /metrics\.prometheus\.route/],
  ['prometheus not an object', { prometheus: '/metrics' }, /metrics\.prometheus: got "\/metrics"/],
  ['unknown prometheus key', { prometheus: { path: '/m' } }, /metrics\.prometheus\.path/],
  ['boundaries not increasing', { boundaries: [5, 1] }, /metrics\.boundaries/],
  ['maxSeries zero', { maxSeries: 0 }, /metrics\.maxSeries/],
  ['empty serviceName', { serviceName: '' }, /metrics\.serviceName/],
  ['spans not a boolean', { spans: 1 }, /metrics\.spans/],
  ['otlp endpoint not http', { otlp: { endpoint: 'ftp://collector/v1/metrics' } }, /metrics\.otlp\.endpoint.*http:\/\/ or https:\/\//],
  ['otlp protocol grpc', { otlp: { protocol: 'grpc' } }, /metrics\.otlp\.protocol/],
  ['otlp temporality', { otlp: { temporality: 'sometimes' } }, /metrics\.otlp\.temporality/],
  ['otlp negative interval', { otlp: { intervalMs: -1 } }, /metrics\.otlp\.intervalMs/],
  ['unknown otlp key', { otlp: { url: 'http://x' } }, /metrics\.otlp\.url.*no such option/],
];

for (const [what, metrics, message] of BAD) {
  test(`metrics option error: ${what} fails at startup with ERR_INVALID_OPTION`, () => {
    assert.throws(() => resolveOptions({ metrics } as never, {}), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_INVALID_OPTION');
      assert.match(err.message, message);
      return true;
    });
  });
}

test('a bad metrics option fails NestFactory.create', async () => {
  await assert.rejects(
    NestFactory.create(MetricsProbeModule.with({ metrics: { prometheus: { route: 'nope' } } }), new FastifyAdapter(), { logger: false, abortOnError: false }),
    /Invalid option metrics\.prometheus\.route/,
  );
});

test('metrics absent, false or enabled: false cost nothing: no observer, no route', () => {
  for (const metrics of [undefined, false, { enabled: false }]) {
    const resolved = resolveOptions({ metrics } as never, {});
    assert.equal(resolved.metrics, null);
    assert.equal(resolved.observer, null);
  }
});

test('service name: metrics.serviceName, else tracing.serviceName, else OTEL_SERVICE_NAME', () => {
  assert.equal(resolveOptions({ metrics: { serviceName: 'm' }, tracing: { serviceName: 't' } }, {}).metrics?.red.serviceName, 'm');
  assert.equal(resolveOptions({ metrics: true, tracing: { serviceName: 't' } }, {}).metrics?.red.serviceName, 't');
  assert.equal(resolveOptions({ metrics: true, tracing: false }, { OTEL_SERVICE_NAME: 'env' }).metrics?.red.serviceName, 'env');
});

test('OTLP push: off by default, on with OTEL_METRICS_EXPORTER=otlp or an otlp option', () => {
  assert.equal(resolveOptions({ metrics: true }, {}).metrics?.exporter, null);
  const fromEnv = resolveOptions({ metrics: true }, { OTEL_METRICS_EXPORTER: 'prometheus, otlp' }).metrics?.exporter;
  assert.equal(fromEnv?.config.url.href, 'http://localhost:4318/v1/metrics');
  const fromOption = resolveOptions({ metrics: { otlp: { endpoint: 'http://c:4318/v1/metrics', protocol: 'http/json', temporality: 'delta' } } }, {}).metrics?.exporter;
  assert.equal(fromOption?.config.url.href, 'http://c:4318/v1/metrics');
  assert.equal(fromOption?.config.protocol, 'http/json');
  assert.equal(fromOption?.config.temporality, 'delta');
});

for (const platform of PLATFORMS) {
  test(`on ${platform}: both observers run: onRequestEnd still sees every request when metrics are on`, async (t) => {
    const seen: string[] = [];
    const app = await startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: true, onRequestEnd: (route) => seen.push(route) }), { platform });
    t.after(() => app.close());
    await request(app.origin, '/fast');
    await request(app.origin, '/items/1');
    const series = readScrape((await request(app.origin, '/metrics')).body);
    assert.equal(series.get(seriesKey('/fast', 'server', '2xx'))?.requests, 1);
    assert.equal(series.get(seriesKey('/items/:id', 'server', '2xx'))?.requests, 1);
    assert.deepEqual(seen.slice(0, 2), ['/fast', '/items/:id']);
  });

  test(`on ${platform}: tracing off: requests are still counted; a 404 is labelled by its method; the route has no global prefix`, async (t) => {
    const app = await startApp(MetricsProbeModule.with({ tracing: false, metrics: { serviceName: 'plain' } }), {
      platform,
      configure: (a) => {
        a.setGlobalPrefix('api');
      },
    });
    t.after(() => app.close());
    assert.equal((await request(app.origin, '/api/fast')).status, 200);
    assert.equal((await request(app.origin, '/api/boom')).status, 500);
    assert.equal((await request(app.origin, '/nowhere', { method: 'DELETE' })).status, 404);
    const reply = await request(app.origin, '/metrics');
    assert.equal(reply.status, 200);
    const series = readScrape(reply.body);
    assert.equal(series.get(seriesKey('/api/fast', 'server', '2xx'))?.requests, 1);
    assert.equal(series.get(seriesKey('/api/boom', 'server', '5xx'))?.errors, 1);
    assert.equal(series.get(seriesKey('DELETE', 'server', '4xx'))?.requests, 1);
    assert.equal(series.get(seriesKey('DELETE', 'server', '4xx'))?.labels['service_name'], 'plain');
  });

  test(`on ${platform}: prometheus: false registers no route; a custom route is served; getRedMetrics() reads the running aggregator`, async (t) => {
    const off = await startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: { prometheus: false } }), { platform });
    t.after(() => off.close());
    assert.equal((await request(off.origin, '/metrics')).status, 404);
    // The observer runs on the response's 'finish', which may come after the client read it.
    await waitFor(() => getRedMetrics()?.seriesCount === 1, undefined, 'the 404 of /metrics itself counted');
    await off.close();
    assert.equal(getRedMetrics(), null, 'cleared when the app stops');

    const custom = await startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: { prometheus: { route: '/internal/metrics' } } }), { platform });
    t.after(() => custom.close());
    await request(custom.origin, '/fast');
    const reply = await request(custom.origin, '/internal/metrics');
    assert.equal(reply.status, 200);
    assert.equal(readScrape(reply.body).get(seriesKey('/fast', 'server', '2xx'))?.requests, 1);
  });

  test(`on ${platform}: TraceContextModule takes the same metrics option`, async (t) => {
    const app = await startApp(MetricsProbeModule.withTraceContextModule({ exporters: [], metrics: { serviceName: 'tc' } }), { platform });
    t.after(() => app.close());
    await request(app.origin, '/fast');
    const s = readScrape((await request(app.origin, '/metrics')).body).get(seriesKey('/fast', 'server', '2xx'));
    assert.equal(s?.requests, 1);
    assert.equal(s?.labels['service_name'], 'tc');
  });
}
test('an app route at the Prometheus route fails at startup (Fastify FST_ERR_DUPLICATED_ROUTE), never silently shadowed', async () => {
  await assert.rejects(
    startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: { prometheus: { route: '/fast' } } })),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'FST_ERR_DUPLICATED_ROUTE');
      assert.match(err.message, /\/fast/);
      return true;
    },
  );
});

test('on Express, an app route at the Prometheus route fails at startup naming the option, never silently shadowed', async () => {
  await assert.rejects(
    startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: { prometheus: { route: '/fast' } } }), { platform: 'express' }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_INVALID_OPTION');
      assert.match(err.message, /metrics\.prometheus\.route/);
      assert.match(err.message, /\/fast/);
      return true;
    },
  );
});

test('outbound HTTP client spans are counted, sampled or not (1% sampling, 40 calls)', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const app = await startApp(
    MetricsProbeModule.with({ tracing: { sampler: { type: 'traceidratio', ratio: 0.01 }, exporters: [] }, metrics: true }),
  );
  t.after(() => app.close());
  for (let i = 0; i < 40; i++) assert.equal((await request(app.origin, `/call?url=${encodeURIComponent(sink.origin + '/x')}`)).status, 200);
  assert.equal(sink.requests.length, 40);
  const series = readScrape((await request(app.origin, '/metrics')).body);
  const client = series.get(seriesKey('GET', 'client', 'none'));
  assert.equal(client?.requests, 40);
  assert.equal(client?.errors, 0);
  assert.equal(series.get(seriesKey('/call', 'server', '2xx'))?.requests, 40);
});

test('metrics.spans: false counts server requests only', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const app = await startApp(MetricsProbeModule.with({ tracing: { exporters: [] }, metrics: { spans: false } }));
  t.after(() => app.close());
  await request(app.origin, `/call?url=${encodeURIComponent(sink.origin + '/x')}`);
  const series = readScrape((await request(app.origin, '/metrics')).body);
  assert.equal(series.get(seriesKey('GET', 'client', 'none')), undefined);
  assert.equal(series.get(seriesKey('/call', 'server', '2xx'))?.requests, 1);
});

test('OTLP metrics push: app.close() sends a last export with every request counted (OTLP/JSON to a real sink)', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const app = await startApp(
    MetricsProbeModule.with({
      tracing: { serviceName: 'pusher', exporters: [], resource: { 'deployment.environment.name': 'test' } },
      metrics: { prometheus: false, otlp: { endpoint: `${sink.origin}/v1/metrics`, protocol: 'http/json', intervalMs: 0 } },
    }),
  );
  for (let i = 0; i < 3; i++) await request(app.origin, '/fast');
  await request(app.origin, '/boom');
  assert.equal(sink.requests.length, 0, 'intervalMs 0: nothing before shutdown');
  await app.close();
  assert.equal(sink.requests.length, 1);
  const sent = sink.requests[0]!;
  assert.equal(sent.url, '/v1/metrics');
  assert.equal(sent.headers['content-type'], 'application/json');
  const body = JSON.parse(sent.body.toString('utf8'));
  const rm = body.resourceMetrics[0];
  const resource = Object.fromEntries(rm.resource.attributes.map((a: { key: string; value: { stringValue: string } }) => [a.key, a.value.stringValue]));
  assert.equal(resource['service.name'], 'pusher');
  assert.equal(resource['deployment.environment.name'], 'test');
  const requests = rm.scopeMetrics[0].metrics.find((m: { name: string }) => m.name === 'ntc.requests');
  const byRoute = Object.fromEntries(
    requests.sum.dataPoints.map((p: { attributes: Array<{ key: string; value: { stringValue: string } }>; asInt: string }) => [
      p.attributes.find((a) => a.key === 'route')!.value.stringValue,
      Number(p.asInt),
    ]),
  );
  assert.deepEqual(byRoute, { '/fast': 3, '/boom': 1 });
});

test('OTLP metrics push with only `otlp: true`: traces configured for OTLP in code take metrics to the same collector (/v1/metrics beside /v1/traces), with the same headers and protocol', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const app = await startApp(
    MetricsProbeModule.with({
      tracing: {
        serviceName: 'one-config',
        exporters: [{ type: 'otlp', endpoint: `${sink.origin}/tenant-a/v1/traces`, protocol: 'http/json', headers: { 'api-key': 'secret-1' } }],
      },
      metrics: { prometheus: false, otlp: true },
    }),
  );
  await request(app.origin, '/fast');
  await app.close();
  const metrics = sink.requests.filter((r) => r.url === '/tenant-a/v1/metrics');
  const traces = sink.requests.filter((r) => r.url === '/tenant-a/v1/traces');
  assert.ok(traces.length >= 1, `trace exports: ${sink.requests.map((r) => r.url).join(', ')}`);
  assert.equal(metrics.length, 1, `metrics exports: ${sink.requests.map((r) => r.url).join(', ')}`);
  for (const sent of [...metrics, ...traces]) {
    assert.equal(sent.headers['api-key'], 'secret-1');
    assert.equal(sent.headers['content-type'], 'application/json');
  }
  const names = JSON.parse(metrics[0]!.body.toString('utf8')).resourceMetrics[0].scopeMetrics[0].metrics.map((m: { name: string }) => m.name);
  assert.ok(names.length > 0);
});
