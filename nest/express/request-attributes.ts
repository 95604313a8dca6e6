// The HTTP semantic-convention attributes of a server span on Express: the same keys and values
// as on Fastify (nest/fastify/server-span.ts), read from Express's request. Written only on a
// recording span.

import type { Span } from '../../engine/index.js';
import type { ExpressRequest } from './express-types.js';

/** The port of a Host header (`host:port`, `[v6]:port`), or 0 when it names none. */
function hostPort(host: string | undefined): number {
  if (host === undefined) return 0;
  const colon = host.lastIndexOf(':');
  if (colon === -1 || colon < host.lastIndexOf(']')) return 0;
  const port = Number(host.slice(colon + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 0;
}

export function writeExpressRequestAttributes(span: Span, req: ExpressRequest, method: string, route: string): void {
  // originalUrl: `url` is rewritten relative to the mount path inside mounted routers.
  const url = req.originalUrl;
  const query = url.indexOf('?');
  span.setAttribute('http.request.method', method);
  span.setAttribute('url.path', query === -1 ? url : url.slice(0, query));
  span.setAttribute('url.scheme', req.protocol);
  if (route !== '') span.setAttribute('http.route', route);
  const host = req.hostname;
  if (host !== undefined && host !== '') span.setAttribute('server.address', host);
  const port = hostPort(req.headers.host);
  if (port > 0) span.setAttribute('server.port', port);
  const client = req.ip;
  if (client !== undefined) span.setAttribute('client.address', client);
  const agent = req.headers['user-agent'];
  if (typeof agent === 'string') span.setAttribute('user_agent.original', agent);
  span.setAttribute('network.protocol.version', req.httpVersion);
}
