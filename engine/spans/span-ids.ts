// Raw ids for recording spans: random bytes that become hex strings only when something reads
// them (spanContext().spanId, propagation, export). A sampled span that is ended and exported
// by a binary exporter never needs its ids as text.
//
// Measured in one CPU-time run (bench/micro/spans.bench.ts, BENCH_CPU=1, Node 20, loaded
// 2-core machine): the batch-hex slices of engine/ids/trace-ids.ts cost a root span 64 B of
// sliced strings plus ~48 B of its share of each 8 KiB hex batch; here a root costs two
// fields in its handle and its 24 bytes of a 16 KiB block.
//
// Blocks are never refilled in place: a handle keeps (block, offset) and may read its ids long
// after other spans have drawn from newer blocks. A block lives while any of its spans' handles
// does: 16 KiB off the V8 heap per 682 roots or 2048 children. Size measured (CPU time, new
// block + randomFillSync, per root's 24 bytes): 4 KiB 29.6 ns, 16 KiB 11.1 ns, 64 KiB 6.9 ns;
// 16 KiB keeps most of the gain while a handle held for long pins at most 16 KiB (the hex
// batch of ids/trace-ids.ts pins 8 KiB per retained id).

import { randomFillSync } from 'node:crypto';

const BLOCK_BYTES = 16384;

let block = new Uint8Array(0);
let words = new Int32Array(0);
/** Next unused byte; draws are 8 or 24 bytes, so every id starts 4-byte aligned. */
let cursor = BLOCK_BYTES;

function nextBlock(): void {
  block = new Uint8Array(BLOCK_BYTES);
  randomFillSync(block);
  words = new Int32Array(block.buffer);
  cursor = 0;
}

/**
 * Offset in `idBlock()` of a new span id (8 random bytes, not all zero, W3C traceparent
 * §3.2.2.4). Read `idBlock()` before the next draw: it may move to a new block.
 */
export function drawSpanId(): number {
  for (;;) {
    if (cursor + 8 > BLOCK_BYTES) nextBlock();
    const at = cursor;
    cursor = at + 8;
    const w = at >> 2;
    if ((words[w]! | words[w + 1]!) !== 0) return at;
  }
}

/**
 * Offset in `idBlock()` of a new trace id (16 bytes, not all zero, §3.2.2.3) immediately
 * followed by a new span id: one draw for a root span. Every trace id is 16 CSPRNG bytes,
 * which is what lets a root set the W3C Level 2 random flag.
 */
export function drawTraceAndSpanId(): number {
  for (;;) {
    if (cursor + 24 > BLOCK_BYTES) nextBlock();
    const at = cursor;
    cursor = at + 24;
    const w = at >> 2;
    if ((words[w]! | words[w + 1]! | words[w + 2]! | words[w + 3]!) !== 0 && (words[w + 4]! | words[w + 5]!) !== 0) return at;
  }
}

/** The block the last draw's offset points into. */
export function idBlock(): Uint8Array {
  return block;
}

/** Lowercase hex digit char codes. */
const DIGIT = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

function hi(b: Uint8Array, i: number): number {
  return DIGIT[b[i]! >> 4]!;
}

function lo(b: Uint8Array, i: number): number {
  return DIGIT[b[i]! & 15]!;
}

/**
 * 16 hex digits of `b[at, at+8)`. One String.fromCharCode call builds the flat string
 * directly: 37 ns / 32 B per id in one CPU-time run, against 73 ns / 120 B for a 64 Ki table of
 * 4-digit strings, 91 ns for Buffer#hexSlice and 130 ns / 234 B for per-byte concatenation.
 */
export function hex8(b: Uint8Array, at: number): string {
  return String.fromCharCode(
    hi(b, at), lo(b, at), hi(b, at + 1), lo(b, at + 1), hi(b, at + 2), lo(b, at + 2), hi(b, at + 3), lo(b, at + 3),
    hi(b, at + 4), lo(b, at + 4), hi(b, at + 5), lo(b, at + 5), hi(b, at + 6), lo(b, at + 6), hi(b, at + 7), lo(b, at + 7),
  );
}

/** 32 hex digits of `b[at, at+16)`: one flat string (two 16-digit halves joined would make a cons string). */
export function hex16(b: Uint8Array, at: number): string {
  return String.fromCharCode(
    hi(b, at), lo(b, at), hi(b, at + 1), lo(b, at + 1), hi(b, at + 2), lo(b, at + 2), hi(b, at + 3), lo(b, at + 3),
    hi(b, at + 4), lo(b, at + 4), hi(b, at + 5), lo(b, at + 5), hi(b, at + 6), lo(b, at + 6), hi(b, at + 7), lo(b, at + 7),
    hi(b, at + 8), lo(b, at + 8), hi(b, at + 9), lo(b, at + 9), hi(b, at + 10), lo(b, at + 10), hi(b, at + 11), lo(b, at + 11),
    hi(b, at + 12), lo(b, at + 12), hi(b, at + 13), lo(b, at + 13), hi(b, at + 14), lo(b, at + 14), hi(b, at + 15), lo(b, at + 15),
  );
}
