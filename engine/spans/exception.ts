// The attributes of an `exception` event, per OpenTelemetry's semantic conventions
// (exception.type, exception.message, exception.stacktrace). Anything can be thrown in JS, so
// every shape yields something readable and nothing here can throw (a getter that throws, or a
// Proxy, is read inside try).

import type { Attributes } from './span-data.js';

export function exceptionAttributes(err: unknown): Attributes {
  const attributes: Attributes = {};
  if (typeof err === 'string') {
    attributes['exception.message'] = err;
    return attributes;
  }
  if (typeof err === 'object' && err !== null) {
    try {
      const e = err as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown };
      if (typeof e.code === 'string' || typeof e.code === 'number') attributes['exception.type'] = String(e.code);
      else if (typeof e.name === 'string') attributes['exception.type'] = e.name;
      if (typeof e.message === 'string') attributes['exception.message'] = e.message;
      if (typeof e.stack === 'string') attributes['exception.stacktrace'] = e.stack;
    } catch {
      // fall through to the generic message below
    }
    if (attributes['exception.type'] === undefined && attributes['exception.message'] === undefined) {
      attributes['exception.message'] = Object.prototype.toString.call(err);
    }
    return attributes;
  }
  attributes['exception.message'] = String(err);
  return attributes;
}
