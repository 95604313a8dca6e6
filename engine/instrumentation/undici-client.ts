// Global fetch (undici) through its diagnostics channels. Checked on Node 20.20 (bundled
// undici 6.24.1): `undici:request:create` is published synchronously inside the caller's async
// context with a request whose `addHeader` still reaches the wire; `undici:request:headers`
// carries the response status; `undici:request:error` the failure. Standalone undici 5-7
// publishes the same channels (headers as a string in 5, an array in 6+; both handled).

import diagnosticsChannel from 'node:diagnostics_channel';
import { beginCall, failCall, finishCall, type HeaderTarget } from './client-call.js';
import type { OutboundConfig, OutboundSpan } from './outbound-config.js';

/** The fields of undici's internal Request the instrumentation reads. */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly method: string;
  readonly path: string;
  readonly headers: string[] | string;
  addHeader(name: string, value: string): unknown;
}

const headerTarget: HeaderTarget<UndiciRequest> = {
  has(request, name) {
    const headers = request.headers;
    if (typeof headers === 'string') {
      // undici 5: 'name: value\r\n' lines. Names are sent as given, so compare case-insensitively.
      return headers.toLowerCase().startsWith(name + ':') || headers.toLowerCase().includes('\n' + name + ':');
    }
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i]!.length === name.length && headers[i]!.toLowerCase() === name) return true;
    }
    return false;
  },
  add(request, name, value) {
    request.addHeader(name, value);
  },
};

/** Subscribes to undici's channels; returns the unsubscriber. */
export function instrumentUndici(config: OutboundConfig): () => void {
  const spans = new WeakMap<UndiciRequest, OutboundSpan>();

  const onCreate = (message: unknown): void => {
    const request = (message as { request: UndiciRequest }).request;
    const origin = typeof request.origin === 'string' ? request.origin : request.origin.origin;
    const info = config.origins.getByOrigin(origin);
    const span = beginCall(config, request.method, info, request.path, headerTarget, request);
    if (span !== null) spans.set(request, span);
  };
  const onHeaders = (message: unknown): void => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = spans.get(request);
    if (span === undefined) return;
    // The span covers the call up to the response head, as on node:http (whose channel fires
    // there too); a body the caller never reads must not keep a span open forever.
    spans.delete(request);
    finishCall(span, response.statusCode);
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: UndiciRequest; error: unknown };
    const span = spans.get(request);
    if (span === undefined) return;
    spans.delete(request);
    failCall(span, error);
  };

  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  diagnosticsChannel.subscribe('undici:request:error', onError);
  return () => {
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
    diagnosticsChannel.unsubscribe('undici:request:error', onError);
  };
}
