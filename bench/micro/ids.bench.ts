// Trace and span id generation: ours (batch hex + slice) beside OpenTelemetry's
// RandomIdGenerator and the per-id encodings it was chosen over.
import { Buffer } from 'node:buffer';
import { randomBytes, randomFillSync } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { generateSpanId, generateTraceId } from '../../engine/ids/trace-ids.js';
import { bytesToHex } from '../../engine/ids/hex.js';
import { randomBytesPool, takeRandom } from '../../engine/ids/random-pool.js';
import { defineSuite, runStandalone } from './harness.js';

const otel = new RandomIdGenerator();

// Alternative 1: pooled bytes, per-id byte-table concatenation (the first implementation).
function traceIdByteTable(): string {
  const at = takeRandom(16);
  return bytesToHex(randomBytesPool(), at, 16);
}

// Alternative 2: pooled bytes, per-id native hex encoding.
const pool = Buffer.allocUnsafeSlow(4096);
let cursor = 4096;
function traceIdBufferHex(): string {
  if (cursor + 16 > 4096) {
    randomFillSync(pool);
    cursor = 0;
  }
  cursor += 16;
  return pool.toString('hex', cursor - 16, cursor);
}

export const suite = defineSuite({
  name: 'ids',
  cases: [
    { name: 'trace id (ntc batch hex slice)', impl: 'ntc', fn: generateTraceId },
    { name: 'trace id (otel RandomIdGenerator)', impl: 'otel', fn: () => otel.generateTraceId() },
    { name: 'trace id (pooled bytes + byte table)', impl: 'alt', fn: traceIdByteTable },
    { name: 'trace id (pooled bytes + toString hex)', impl: 'alt', fn: traceIdBufferHex },
    { name: 'trace id (crypto.randomBytes per id)', impl: 'node', fn: () => randomBytes(16).toString('hex') },
    { name: 'span id (ntc batch hex slice)', impl: 'ntc', fn: generateSpanId },
    { name: 'span id (otel RandomIdGenerator)', impl: 'otel', fn: () => otel.generateSpanId() },
  ],
  comparisons: [
    { id: 'trace-id-speedup', ours: 'trace id (ntc batch hex slice)', theirs: 'trace id (otel RandomIdGenerator)', metric: 'time' },
    { id: 'span-id-speedup', ours: 'span id (ntc batch hex slice)', theirs: 'span id (otel RandomIdGenerator)', metric: 'time' },
    { id: 'trace-id-vs-byte-table', ours: 'trace id (ntc batch hex slice)', theirs: 'trace id (pooled bytes + byte table)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
