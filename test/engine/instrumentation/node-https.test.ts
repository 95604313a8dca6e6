// node:https goes through the same Agent#addRequest path (https.Agent inherits it). The TLS
// server uses a throwaway self-signed certificate made with the openssl CLI for this run.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { parseTraceparent } from './helpers.js';
import { REMOTE_PARENT, RecordingTracer, inTrace } from './recording-tracer.js';

function selfSigned(): { key: Buffer; cert: Buffer } | null {
  const dir = mkdtempSync(join(tmpdir(), 'ntc-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = selfSigned();

test('node:https inside a trace carries the traceparent and records an https client span', { skip: tls === null ? 'openssl CLI not available' : false }, async (t) => {
  const seen: (string | undefined)[] = [];
  const server = https.createServer(tls!, (req, res) => {
    seen.push(req.headers.traceparent as string | undefined);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const tracer = new RecordingTracer();
  t.after(enableOutboundHttp({ tracer }));

  const status = await inTrace(REMOTE_PARENT, () =>
    new Promise<number>((resolve, reject) => {
      https
        .get(`https://127.0.0.1:${port}/secure`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    }),
  );
  assert.equal(status, 200);
  const tp = parseTraceparent(seen[0]);
  assert.equal(tp.traceId, REMOTE_PARENT.traceId);
  const span = tracer.spans[0]!;
  assert.equal(span.context.spanId, tp.spanId);
  assert.equal(span.attributes['url.full'], `https://127.0.0.1:${port}/secure`);
  assert.equal(span.attributes['server.port'], port);
  assert.equal(span.attributes['http.response.status_code'], 200);
});
