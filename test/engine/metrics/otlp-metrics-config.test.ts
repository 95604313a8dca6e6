// Exporter settings: options in code win over `_METRICS_` variables, which win over the
// generic OTEL_EXPORTER_OTLP_* ones; bad variables are ignored with a warning; bad options
// throw ERR_INVALID_OPTION at startup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOtlpMetricsConfig } from '../../../engine/index.js';

function logger(): { warn(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => void lines.push(m) };
}

test('defaults: http://localhost:4318/v1/metrics, protobuf, cumulative, 10 s timeout, 60 s interval, no compression', () => {
  const c = resolveOtlpMetricsConfig({ env: {} });
  assert.equal(c.url.href, 'http://localhost:4318/v1/metrics');
  assert.equal(c.protocol, 'http/protobuf');
  assert.equal(c.temporality, 'cumulative');
  assert.equal(c.timeoutMs, 10_000);
  assert.equal(c.intervalMs, 60_000);
  assert.equal(c.compression, 'none');
  assert.deepEqual(c.headers, {});
});

test('signal variables win over generic ones, options win over both; empty variables count as unset', () => {
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: '',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
    OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2500',
    OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
    OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'b=3',
    OTEL_METRIC_EXPORT_INTERVAL: '15000',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'lowmemory',
  };
  const c = resolveOtlpMetricsConfig({ env });
  assert.equal(c.url.href, 'https://collector:4318/v1/metrics');
  assert.equal(c.protocol, 'http/json');
  assert.equal(c.timeoutMs, 2500);
  assert.equal(c.intervalMs, 15_000);
  assert.equal(c.temporality, 'delta');
  assert.deepEqual(c.headers, { a: '1', b: '3' });
  const o = resolveOtlpMetricsConfig({ env, endpoint: 'http://other:9/m', protocol: 'http/protobuf', timeoutMs: 100, temporality: 'cumulative', headers: { b: '4' } });
  assert.equal(o.url.href, 'http://other:9/m');
  assert.equal(o.protocol, 'http/protobuf');
  assert.equal(o.timeoutMs, 100);
  assert.equal(o.temporality, 'cumulative');
  assert.deepEqual(o.headers, { a: '1', b: '4' });
});

test('bad variables are ignored with a warning naming them, and the default applies', () => {
  const log = logger();
  const c = resolveOtlpMetricsConfig({
    logger: log,
    env: {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'not a url',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TIMEOUT: '-5',
      OTEL_EXPORTER_OTLP_HEADERS: 'good=1,=nokey,bad=%E0%A4%A',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes',
    },
  });
  assert.equal(c.url.href, 'http://localhost:4318/v1/metrics');
  assert.equal(c.protocol, 'http/protobuf');
  assert.equal(c.timeoutMs, 10_000);
  assert.equal(c.temporality, 'cumulative');
  assert.deepEqual(c.headers, { good: '1' });
  const text = log.lines.join('\n');
  for (const name of ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TIMEOUT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE']) {
    assert.ok(text.includes(name), `no warning for ${name}`);
  }
});

test('bad options throw ERR_INVALID_OPTION naming the option and what is allowed', () => {
  const cases: Array<[object, RegExp]> = [
    [{ endpoint: 'ftp://x' }, /metrics\.otlp\.endpoint.*http/],
    [{ endpoint: 42 }, /metrics\.otlp\.endpoint/],
    [{ url: 'http://x/v1/metrics' }, /metrics\.otlp\.url.*no such option.*endpoint/],
    [{ protocol: 'grpc' }, /metrics\.otlp\.protocol.*'http\/protobuf' \| 'http\/json'/],
    [{ temporality: 'sometimes' }, /metrics\.otlp\.temporality/],
    [{ compression: 'br' }, /metrics\.otlp\.compression/],
    [{ timeoutMs: 0 }, /metrics\.otlp\.timeoutMs/],
    [{ intervalMs: -1 }, /metrics\.otlp\.intervalMs/],
    [{ headers: { 'bad header': 'x' } }, /metrics\.otlp\.headers/],
    [{ headers: { ok: 'line\r\nbreak' } }, /metrics\.otlp\.headers\.ok/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => resolveOtlpMetricsConfig({ env: {}, ...options } as never),
      (err: unknown) => err instanceof TypeError && (err as { code?: string }).code === 'ERR_INVALID_OPTION' && message.test((err as Error).message),
      JSON.stringify(options),
    );
  }
});

test('what the trace exporter was given in code is used for metrics: the same base with /v1/metrics, its headers, protocol, compression and timeout', () => {
  const inherit = {
    signal: 'traces' as const,
    options: { endpoint: 'https://otlp.example:4318/tenant/v1/traces', headers: { 'api-key': 'k', a: 'trace' }, protocol: 'http/json' as const, compression: 'gzip' as const, timeoutMs: 3000 },
  };
  const c = resolveOtlpMetricsConfig({ env: {}, inherit });
  assert.equal(c.url.href, 'https://otlp.example:4318/tenant/v1/metrics');
  assert.deepEqual(c.headers, { 'api-key': 'k', a: 'trace' });
  assert.equal(c.protocol, 'http/json');
  assert.equal(c.compression, 'gzip');
  assert.equal(c.timeoutMs, 3000);

  // The metrics options and the _METRICS_ variables win over the inherited values; the inherited
  // values win over the generic variables, as they did for the traces.
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318', OTEL_EXPORTER_OTLP_HEADERS: 'a=generic,g=1', OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '700', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
  const m = resolveOtlpMetricsConfig({ env, inherit, headers: { a: 'metrics' } });
  assert.equal(m.url.href, 'https://otlp.example:4318/tenant/v1/metrics');
  assert.deepEqual(m.headers, { a: 'metrics', g: '1', 'api-key': 'k' });
  assert.equal(m.timeoutMs, 700);
  assert.equal(m.protocol, 'http/json');
  assert.equal(resolveOtlpMetricsConfig({ env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:1/x' }, inherit }).url.href, 'http://m:1/x');

  // A traces URL whose path is not /v1/traces says nothing about the metrics path: the generic
  // variable, else the default, applies.
  const custom = { signal: 'traces' as const, options: { endpoint: 'https://ingest.example/custom-traces' } };
  assert.equal(resolveOtlpMetricsConfig({ env: {}, inherit: custom }).url.href, 'http://localhost:4318/v1/metrics');
  assert.equal(resolveOtlpMetricsConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318/' }, inherit: custom }).url.href, 'http://generic:4318/v1/metrics');
});
