// The attributes of an `exception` event, per OpenTelemetry's semantic conventions
// (exception.type, exception.message, exception.stacktrace). Anything can be thrown in JS, so
// every shape yields something readable and nothing here can throw (a getter that throws, or a
// Proxy whose traps throw, is only touched inside try).

import type { Attributes } from './span-data.js';

function read(err: object, attributes: Attributes): void {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown };
  const code = e.code;
  if (typeof code === 'string' || typeof code === 'number') attributes['exception.type'] = String(code);
  else if (typeof e.name === 'string') attributes['exception.type'] = e.name;
  const message = e.message;
  if (typeof message === 'string') attributes['exception.message'] = message;
  const stack = e.stack;
  if (typeof stack === 'string') attributes['exception.stacktrace'] = stack;
}

export function exceptionAttributes(err: unknown): Attributes {
  const attributes: Attributes = {};
  if (typeof err === 'object' && err !== null) {
    try {
      read(err, attributes);
    } catch {
      // keep what was read; the fallback below names the value
    }
    if (attributes['exception.type'] === undefined && attributes['exception.message'] === undefined) {
      attributes['exception.message'] = safeString(err);
    }
    return attributes;
  }
  attributes['exception.message'] = safeString(err);
  return attributes;
}

/** The message for an error status: the error's message, else its string form; never throws. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    try {
      const message = (err as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    } catch {
      // fall through
    }
  }
  return safeString(err);
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
  } catch {
    return '[unprintable value]';
  }
}
