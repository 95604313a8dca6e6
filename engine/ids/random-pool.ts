// Cryptographically random bytes taken by cursor from a batch-filled buffer.
// One `randomFillSync` of 4 KiB serves 256 trace ids or 512 span ids; the syscall and the
// OpenSSL call are amortised over the batch (dd-trace's id.js and hyperid do the same).
// Measured by bench/micro/ids.bench.ts against crypto.randomBytes per id.

import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let cursor = POOL_SIZE;

/**
 * Offset in `randomBytesPool()` of `n` (<= 64) fresh random bytes. The caller must read them
 * before the next call: the buffer is refilled in place when it runs out.
 */
export function takeRandom(n: number): number {
  if (cursor + n > POOL_SIZE) {
    randomFillSync(pool);
    cursor = 0;
  }
  const at = cursor;
  cursor += n;
  return at;
}

/** The shared buffer `takeRandom` offsets point into. */
export function randomBytesPool(): Uint8Array {
  return pool;
}
