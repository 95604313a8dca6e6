// When and how long to wait before re-sending (OTLP specification/protocol/exporter.md
// "Retry" and otlp/docs/specification.md "OTLP/HTTP Throttling"): only 429, 502, 503, 504 and
// network errors are retryable; Retry-After (delta-seconds or an HTTP-date, RFC 9110 §10.2.3)
// wins over our backoff; otherwise exponential backoff with jitter. The numbers are
// OpenTelemetry JS otlp-exporter-base's (5 attempts, 1 s initial, x1.5, 5 s cap, ±20%), and
// like it, no retry starts that would end past the export deadline.

export const MAX_ATTEMPTS = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Milliseconds a Retry-After value asks for, or -1 when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number {
  if (value === undefined) return -1;
  const trimmed = value.trim();
  if (trimmed === '') return -1;
  // delta-seconds = 1*DIGIT
  let seconds = 0;
  let digits = true;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      digits = false;
      break;
    }
    seconds = seconds * 10 + c;
  }
  if (digits) return seconds * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name. V8's Date.parse
  // is lenient: alone it reads "1.5" as 5 Jan 2001 and "1-1-2030" as a date, so a malformed value
  // would mean "retry now" or "wait years" instead of being ignored (RFC 9110 §10.2.3).
  if (!startsWithDayName(trimmed)) return -1;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return -1;
  return Math.max(0, date - nowMs);
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function startsWithDayName(value: string): boolean {
  const head = value.slice(0, 3);
  return DAY_NAMES.includes(head);
}

/** Backoff before retry number `retry` (1-based), with ±20% jitter. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * BACKOFF_MULTIPLIER ** (retry - 1));
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
