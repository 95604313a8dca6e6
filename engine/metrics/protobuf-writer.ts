// A small proto3 binary writer: just the wire types OTLP metrics need (varint, fixed64,
// double, length-delimited). engine/export had no protobuf writer when this was written;
// when it gains one, this file is the one to fold into it.
//
// Nested messages: `fork()` remembers where the payload starts, `join(field)` writes the tag
// and length in front of it by shifting the payload right (copyWithin). Each nesting level
// copies its payload once; bodies here are a few KiB to a few hundred KiB, written once per
// export interval, so a size pre-pass is not worth its code.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export class ProtobufWriter {
  private buf: Buffer;
  private view: DataView;
  private pos: number;
  private readonly forks: number[];

  constructor(initialSize = 4096) {
    // Buffer.alloc never hands out a slice of the shared pool, so byteOffset is 0.
    this.buf = Buffer.alloc(initialSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
    this.forks = [];
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  /** Unsigned varint of a non-negative safe integer. */
  private rawVarint(value: number): void {
    this.ensure(10);
    this.pos = writeVarintAt(this.buf, this.pos, value);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** uint32 / bool / enum. proto3: a default (0) scalar is not written. */
  varint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
  }

  bool(field: number, value: boolean): void {
    if (value) this.varint(field, 1);
  }

  /** 8 little-endian bytes of a non-negative integer below 2^53 (a double holds it exactly; no BigInt needed). */
  private rawFixed64(value: number): void {
    this.view.setUint32(this.pos, value % 0x1_0000_0000, true);
    this.view.setUint32(this.pos + 4, Math.floor(value / 0x1_0000_0000), true);
    this.pos += 8;
  }

  /** Tag and room for one 8-byte value. */
  private fixedHeader(field: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
  }

  /** Tag, byte length and room for `count` 8-byte values of a packed repeated field. */
  private packedHeader(field: number, count: number): void {
    this.tag(field, WIRE_LEN);
    this.rawVarint(count * 8);
    this.ensure(count * 8);
  }

  /** fixed64 / sfixed64 of a non-negative integer below 2^53. Written even when 0 (used in oneofs). */
  fixed64(field: number, value: number): void {
    this.fixedHeader(field);
    this.rawFixed64(value);
  }

  fixed64Big(field: number, value: bigint): void {
    this.fixedHeader(field);
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  /** double, always written (optional fields and oneofs need presence). */
  double(field: number, value: number): void {
    this.fixedHeader(field);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Packed repeated fixed64 (proto3 packs repeated scalars by default). */
  packedFixed64(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.packedHeader(field, values.length);
    for (let i = 0; i < values.length; i++) this.rawFixed64(values[i]!);
  }

  packedDouble(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.packedHeader(field, values.length);
    for (let i = 0; i < values.length; i++) {
      this.view.setFloat64(this.pos, values[i]!, true);
      this.pos += 8;
    }
  }

  /** UTF-8 string; proto3 skips the empty string unless `always` (oneof members need presence). */
  string(field: number, value: string, always = false): void {
    if (value.length === 0 && !always) return;
    const bytes = Buffer.byteLength(value, 'utf8');
    this.tag(field, WIRE_LEN);
    this.rawVarint(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /** Start a nested message. */
  fork(): void {
    this.forks.push(this.pos);
  }

  /** End the nested message started by the matching `fork()` as field `field`. */
  join(field: number): void {
    const start = this.forks.pop();
    if (start === undefined) throw new Error('ProtobufWriter.join without fork');
    const length = this.pos - start;
    const header = field * 8 + WIRE_LEN;
    const headerSize = varintSize(header) + varintSize(length);
    this.ensure(headerSize);
    this.buf.copyWithin(start + headerSize, start, this.pos);
    writeVarintAt(this.buf, writeVarintAt(this.buf, start, header), length);
    this.pos += headerSize;
  }

  finish(): Uint8Array {
    if (this.forks.length !== 0) throw new Error('ProtobufWriter.finish with an open fork');
    return this.buf.subarray(0, this.pos);
  }
}

/** Writes an unsigned varint at `pos` (the caller made room) and returns the position after it. */
function writeVarintAt(buf: Uint8Array, pos: number, value: number): number {
  while (value > 0x7f) {
    buf[pos++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[pos++] = value;
  return pos;
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}
