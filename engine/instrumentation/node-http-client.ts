// node:http / node:https clients.
//
// Channels on Node 20.20 (verified by test/engine/instrumentation/node-http-facts.test.ts):
// `http.client.request.start` is published from ClientRequest#_finish, i.e. after `end()` has
// already serialised the header block, so `setHeader` there throws ERR_HTTP_HEADERS_SENT and
// cannot carry a traceparent. (`http.client.request.created`, published before the headers are
// stored, only exists from Node 22.) What every Node version does call synchronously, in the
// caller's async context and before the header block exists, is `agent.addRequest(req, options)`
// at the end of the ClientRequest constructor; every agent (https.Agent, keep-alive agents,
// `agent: false`) inherits it from http.Agent.prototype. So the headers are injected by one
// wrapper on that prototype (no import-order rule: the prototype is shared, whenever the user
// imported node:http), and the span ends on the channels: `http.client.response.finish`
// (response head received) and `http.client.request.error` (Node 20.17+ / 22.6+).

import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import { beginCall, failCall, finishCall, type HeaderTarget } from './client-call.js';
import type { OutboundConfig, OutboundSpan } from './outbound-config.js';

const headerTarget: HeaderTarget<http.ClientRequest> = {
  has(request, name) {
    return request.getHeader(name) !== undefined;
  },
  add(request, name, value) {
    // Headers given as a raw array are serialised in the constructor: nothing can be added.
    if (!request.headersSent) request.setHeader(name, value);
  },
};

/**
 * The mark engine/export puts on its agents (a registered symbol, so it holds across two copies
 * of the package). Exporters also send outside any context; the mark keeps a user's own agent
 * that happens to export from inside a request out of the traces too.
 */
const EXPORT_AGENT = Symbol.for('nestjs-trace-context.export-agent');

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: unknown) => unknown;

const proto = http.Agent.prototype as unknown as { addRequest: AddRequest };

/** Wraps Agent#addRequest and subscribes to the client channels; returns the undo. */
export function instrumentNodeHttp(config: OutboundConfig): () => void {
  const spans = new WeakMap<http.ClientRequest, OutboundSpan>();
  let active = true;

  const original = proto.addRequest;
  const wrapped: AddRequest = function addRequest(this: http.Agent, req, options) {
    if (active && (this as unknown as Record<symbol, unknown>)[EXPORT_AGENT] !== true) {
      try {
        begin(req);
      } catch {
        // Instrumentation must never fail the user's request.
      }
    }
    return original.call(this, req, options);
  };
  function begin(req: http.ClientRequest): void {
    // The Host header is what the origin would serialise to: `host[:port]`, default port
    // omitted. A caller that disabled it (setHost: false) gets the bare host.
    const hostHeader = req.getHeader('host');
    const authority = typeof hostHeader === 'string' ? hostHeader : req.host;
    const info = config.origins.get(req.protocol, authority);
    const span = beginCall(config, req.method, info, req.path, headerTarget, req);
    if (span !== null) spans.set(req, span);
  }
  proto.addRequest = wrapped;

  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: http.ClientRequest; response: http.IncomingMessage };
    const span = spans.get(request);
    if (span === undefined) return;
    spans.delete(request);
    finishCall(span, response.statusCode ?? 0);
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: http.ClientRequest; error: unknown };
    const span = spans.get(request);
    if (span === undefined) return;
    spans.delete(request);
    failCall(span, error);
  };
  diagnosticsChannel.subscribe('http.client.response.finish', onResponse);
  diagnosticsChannel.subscribe('http.client.request.error', onError);

  return () => {
    active = false;
    // Restore only if nobody wrapped after us; otherwise our wrapper stays as a pass-through.
    if (proto.addRequest === wrapped) proto.addRequest = original;
    diagnosticsChannel.unsubscribe('http.client.response.finish', onResponse);
    diagnosticsChannel.unsubscribe('http.client.request.error', onError);
  };
}
