// Reads ExportTraceServiceResponse.partial_success (trace_service.proto: field 1 message
// ExportTracePartialSuccess { 1 int64 rejected_spans; 2 string error_message }) from a 2xx
// body in either encoding. A body we cannot read counts as full success: the status code
// already said so, and the spec makes partial_success optional.

export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

const NONE: PartialSuccess = Object.freeze({ rejectedSpans: 0, errorMessage: '' });

function readVarint(bytes: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10 && at.pos < bytes.length; i++) {
    const b = bytes[at.pos++]!;
    result += (b & 127) * scale;
    if (b < 128) return result;
    scale *= 128;
  }
  throw new Error('truncated varint');
}

function skip(bytes: Uint8Array, at: { pos: number }, wire: number): void {
  if (wire === 0) readVarint(bytes, at);
  else if (wire === 1) at.pos += 8;
  else if (wire === 2) at.pos += readVarint(bytes, at);
  else if (wire === 5) at.pos += 4;
  else throw new Error(`unsupported wire type ${wire}`);
  if (at.pos > bytes.length) throw new Error('truncated field');
}

export function parsePartialSuccessProtobuf(body: Uint8Array): PartialSuccess {
  try {
    const at = { pos: 0 };
    while (at.pos < body.length) {
      const key = readVarint(body, at);
      if (key === ((1 << 3) | 2)) {
        const length = readVarint(body, at);
        const end = at.pos + length;
        if (end > body.length) return NONE;
        let rejectedSpans = 0;
        let errorMessage = '';
        while (at.pos < end) {
          const inner = readVarint(body, at);
          if (inner === ((1 << 3) | 0)) rejectedSpans = readVarint(body, at);
          else if (inner === ((2 << 3) | 2)) {
            const len = readVarint(body, at);
            errorMessage = Buffer.from(body.buffer, body.byteOffset + at.pos, Math.min(len, end - at.pos)).toString('utf8');
            at.pos += len;
          } else skip(body, at, inner & 7);
        }
        return { rejectedSpans, errorMessage };
      }
      skip(body, at, key & 7);
    }
  } catch {
    return NONE;
  }
  return NONE;
}

export function parsePartialSuccessJson(body: Uint8Array): PartialSuccess {
  if (body.length === 0) return NONE;
  try {
    const parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8')) as {
      partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown };
    };
    const ps = parsed?.partialSuccess;
    if (typeof ps !== 'object' || ps === null) return NONE;
    // OTLP/JSON: int64 may arrive as a string or a number.
    const rejected = Number(ps.rejectedSpans ?? 0);
    return {
      rejectedSpans: Number.isFinite(rejected) && rejected > 0 ? rejected : 0,
      errorMessage: typeof ps.errorMessage === 'string' ? ps.errorMessage : '',
    };
  } catch {
    return NONE;
  }
}
