// A distinct, valid W3C traceparent for every request the load generator sends: random trace
// and parent ids from a refilled CSPRNG buffer (as a real fleet's callers would produce), so a
// ratio sampler's decision over them is a fair coin and no server can cache by trace id.
// Flags 01 (sampled by the caller): the scenarios use root-ratio samplers, see servers/otel.ts.
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL = new Uint8Array(24 * 1024);
let cursor = POOL.length;

function hex(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += HEX[POOL[cursor++]!]!;
  return out;
}

export function nextTraceparent(): string {
  if (cursor + 24 > POOL.length) {
    randomFillSync(POOL);
    cursor = 0;
  }
  // An all-zero id is invalid (W3C §3.2.2.3); its chance here is 2^-128, so the first byte is
  // forced non-zero instead of checked.
  POOL[cursor] = POOL[cursor]! | 0x01;
  const traceId = hex(16);
  POOL[cursor] = POOL[cursor]! | 0x01;
  const parentId = hex(8);
  return `00-${traceId}-${parentId}-01`;
}
