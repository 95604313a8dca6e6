// Credentials in an exporter endpoint (`http://user:TOKEN@collector`) or in its headers never
// reach what the library prints or reports: exporter names in getExportStats(), failure
// warnings, warnings about environment variables, and startup errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { redactedUrlText } from '../../../engine/config/redact-endpoint.js';
import { startSink } from '../../helpers/sink.js';
import { makeSpan } from './span-fixture.js';

const TOKEN = 'tok3n-Secret';

function collecting(): { warn(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

test('exporter names in the stats and the failure warnings carry REDACTED, not the userinfo', async (t) => {
  const sink = await startSink(() => ({ status: 400, body: 'bad request' }));
  t.after(() => sink.close());
  const withCreds = sink.url('/v1/traces').replace('http://', `http://collector:${TOKEN}@`);
  const zipkinCreds = sink.url('/api/v2/spans').replace('http://', `http://${TOKEN}@`);
  const logger = collecting();
  const pipeline = createExportPipeline(
    { logger, exporters: [{ type: 'otlp', endpoint: withCreds }, { type: 'zipkin', endpoint: zipkinCreds }] },
    {},
  );
  pipeline.processor.onEnd(makeSpan());
  await pipeline.shutdown();
  assert.equal(sink.requests.length, 2, 'both exporters reached the collector');
  assert.equal(sink.requests[0]!.headers.authorization, `Basic ${Buffer.from(`collector:${TOKEN}`).toString('base64')}`, 'the credentials are still sent');
  const names = pipeline.getExportStats().exporters.map((e) => e.name);
  assert.deepEqual(names, [
    `otlp http/protobuf ${sink.url('/v1/traces').replace('http://', 'http://REDACTED:REDACTED@')}`,
    `zipkin ${sink.url('/api/v2/spans').replace('http://', 'http://REDACTED@')}`,
  ]);
  assert.ok(logger.lines.length >= 2, `the 400s were reported: ${logger.lines.join('\n')}`);
  for (const line of [...logger.lines, ...names]) assert.ok(!line.includes(TOKEN), line);
});

test('environment warnings and startup errors do not echo credentials or header values', () => {
  const logger = collecting();
  createExportPipeline(
    { logger },
    {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `ftp://user:${TOKEN}@collector:4318/v1/traces`,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization Bearer ${TOKEN},x-api-key=%zz${TOKEN}`,
    },
  ).shutdown();
  assert.ok(logger.lines.length >= 3, logger.lines.join('\n'));
  for (const line of logger.lines) assert.ok(!line.includes(TOKEN), line);

  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      return (error as Error).message;
    }
    assert.fail('expected a startup error');
  };
  const badUrl = message(() => createExportPipeline({ logger, exporters: [{ type: 'otlp', endpoint: `htp//user:${TOKEN}@collector/v1/traces` }] }, {}));
  assert.match(badUrl, /exporters\[0\]\.endpoint/);
  assert.ok(!badUrl.includes(TOKEN), badUrl);
  const badHeader = message(() =>
    createExportPipeline({ logger, exporters: [{ type: 'otlp', headers: { authorization: `Bearer ${TOKEN}\n` } }] }, {}),
  );
  assert.match(badHeader, /exporters\[0\]\.headers\.authorization/);
  assert.ok(!badHeader.includes(TOKEN), badHeader);
});

test('redactedUrlText: parseable URLs lose their userinfo, unparseable ones everything before their last @', () => {
  assert.equal(redactedUrlText('https://a:b@host:4318/v1?x=1'), 'https://REDACTED:REDACTED@host:4318/v1?x=1');
  assert.equal(redactedUrlText('https://host/v1'), 'https://host/v1');
  assert.equal(redactedUrlText('http://[bad:a:b@host/x'), 'http://REDACTED:REDACTED@host/x');
  assert.equal(redactedUrlText('htp//user:pw@collector/v1'), 'REDACTED@collector/v1');
  assert.equal(redactedUrlText('http://user:pw@[::1/v1'), 'http://REDACTED@[::1/v1');
  assert.equal(redactedUrlText('user:pw@host'), 'REDACTED@host');
  assert.equal(redactedUrlText('no credentials here'), 'no credentials here');
  assert.equal(redactedUrlText('http://host/path@with-at'), 'http://host/path@with-at');
});
