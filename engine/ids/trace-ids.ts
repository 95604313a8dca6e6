// Trace and span ids from the pooled CSPRNG buffer (random-pool.ts), hex-encoded through the
// byte table. Never all-zero (W3C traceparent §3.2.2.3/§3.2.2.4: an all-zero id is invalid):
// the chance is 2^-64 or less, and a redraw costs nothing on the common path.

import { bytesToHex } from './hex.js';
import { randomBytesPool, takeRandom } from './random-pool.js';

function nonZero(bytes: Uint8Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (bytes[i] !== 0) return true;
  return false;
}

/** A new random 128-bit trace id: 32 lowercase hex digits, never all zero. */
export function generateTraceId(): string {
  const bytes = randomBytesPool();
  let at = takeRandom(16);
  while (!nonZero(bytes, at, 16)) at = takeRandom(16);
  return bytesToHex(bytes, at, 16);
}

/** A new random 64-bit span id: 16 lowercase hex digits, never all zero. */
export function generateSpanId(): string {
  const bytes = randomBytesPool();
  let at = takeRandom(8);
  while (!nonZero(bytes, at, 8)) at = takeRandom(8);
  return bytesToHex(bytes, at, 8);
}
