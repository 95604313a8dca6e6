// JSON straight into bytes, for the OTLP/JSON serializer's envelope. Strings that are
// printable ASCII without `"` or `\` (ids, attribute keys, routes, methods: nearly all of
// them) are copied in one loop; anything else goes through JSON.stringify, whose escaping
// (RFC 8259 §7, and well-formed output for lone surrogates) is then exactly the platform's.

import { ByteWriter } from './byte-writer.js';

export class JsonWriter extends ByteWriter {
  constructor(initialBytes = 64 * 1024) {
    super(initialBytes);
  }

  /** A JSON string literal. */
  string(value: string): void {
    const n = value.length;
    this.ensure(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.utf8(JSON.stringify(value));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }
}
