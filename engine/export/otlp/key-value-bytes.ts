// Encoded span-attribute KeyValues (trace.proto Span.attributes, field 9) cached per key for the
// last value seen under it. Most attributes of server spans repeat from span to span (method,
// route, scheme, host, port, status, user agent); a repeated one is then one memcpy
// (TypedArray#set) instead of its bytes stored one by one from charCodeAt, which was 60% of a
// 512-span batch in a cpu profile (~2.5 ns per byte on the shared machine, against ~21 ns per
// whole ~48-byte fragment for set). Bytes are kept only on a value's second use, so one-off
// values (paths, request ids) cost nothing extra; the cache holds one value per key.

import type { AttributeValue } from '../../spans/span-data.js';
import type { ProtoWriter } from './proto-writer.js';

class KeyValueBytesMemo {
  /** The last primitive value written under this key (undefined: none, or an array). */
  value: string | number | boolean | undefined;
  /** Its encoded field, tag included; null until the value is written a second time. */
  bytes: Uint8Array | null;

  constructor() {
    this.value = undefined;
    this.bytes = null;
  }
}

/** Tracer-made keys are few; a set that grows past this (keys built from data) stops being cached. */
const MAX_KEYS = 1024;

export class KeyValueBytes {
  private readonly memos: Map<string, KeyValueBytesMemo>;
  private readonly encode: (w: ProtoWriter, key: string, value: AttributeValue) => void;

  /** `encode` writes the whole field (tag, length, KeyValue) the uncached way. */
  constructor(encode: (w: ProtoWriter, key: string, value: AttributeValue) => void) {
    this.memos = new Map();
    this.encode = encode;
  }

  /** Writes one attribute field. Hot path: once per attribute of every exported span. */
  write(w: ProtoWriter, key: string, value: AttributeValue): void {
    let m = this.memos.get(key);
    if (m === undefined) {
      m = new KeyValueBytesMemo();
      if (this.memos.size < MAX_KEYS) this.memos.set(key, m);
    }
    if (value === m.value) {
      if (m.bytes !== null) {
        w.raw(m.bytes);
        return;
      }
      const start = w.pos;
      this.encode(w, key, value);
      // A copy (Buffer#slice would be a view into the reused scratch buffer).
      m.bytes = new Uint8Array(w.buf.subarray(start, w.pos));
      return;
    }
    // Arrays are never cached: the same array object may have been changed in place.
    m.value = typeof value === 'object' ? undefined : value;
    m.bytes = null;
    this.encode(w, key, value);
  }
}
