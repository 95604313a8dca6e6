// Trace and span ids: CSPRNG bytes, batch-filled, served as lowercase hex slices.
//
// Each refill fills 4 KiB with `randomFillSync` and hex-encodes the whole batch once with
// Buffer#toString('hex') (native, one 8 KiB string); an id is then a slice at the cursor.
// Chosen by bench/micro/ids.bench.ts over per-id encodings, measured in one run on this
// machine (2 shared cores, Node 20): batch hex + slice ~90 ns/trace id, per-id byte-table
// concatenation (bytesToHex) ~230 ns, per-id Buffer#toString('hex', a, b) ~340 ns,
// OpenTelemetry's RandomIdGenerator ~590 ns. Trade-off: a slice of 13+ chars is a V8 sliced
// string that keeps its 8 KiB parent alive while any of its 256 trace ids (or 512 span ids)
// lives, i.e. about 32 bytes per live id; spans release their ids when exported.
//
// Never all-zero (W3C traceparent §3.2.2.3/§3.2.2.4: an all-zero id is invalid): checked on
// the bytes through a 32-bit view (4 or 2 word reads); a redraw has probability 2^-64 or less.
// Every trace id is 16 uniformly random bytes, which is what lets new roots set the W3C
// Level 2 random flag (createRootTraceContext in propagation/trace-context.ts).

import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const bytes = Buffer.allocUnsafeSlow(POOL_BYTES);
const words = new Int32Array(bytes.buffer, bytes.byteOffset, POOL_BYTES >> 2);
let hex = '';
/** Byte offset of the next unused byte; draws are 8 or 16 bytes, so word reads stay aligned. */
let cursor = POOL_BYTES;

function refill(): void {
  randomFillSync(bytes);
  hex = bytes.toString('hex');
  cursor = 0;
}

/** A new random 128-bit trace id: 32 lowercase hex digits, never all zero. */
export function generateTraceId(): string {
  for (;;) {
    if (cursor + 16 > POOL_BYTES) refill();
    const at = cursor;
    cursor = at + 16;
    const w = at >> 2;
    if ((words[w]! | words[w + 1]! | words[w + 2]! | words[w + 3]!) !== 0) return hex.slice(at * 2, at * 2 + 32);
  }
}

/** A new random 64-bit span id: 16 lowercase hex digits, never all zero. */
export function generateSpanId(): string {
  for (;;) {
    if (cursor + 8 > POOL_BYTES) refill();
    const at = cursor;
    cursor = at + 8;
    const w = at >> 2;
    if ((words[w]! | words[w + 1]!) !== 0) return hex.slice(at * 2, at * 2 + 16);
  }
}
