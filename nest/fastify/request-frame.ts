// Per-request state of the Nest integration, kept in `store.frame`. Fixed shape (every field
// set in the constructor) and never a reference to req/res, so a context captured by a timer
// or a leaked closure keeps a few strings alive, not a socket.

import type { Span } from '../../engine/index.js';

export class RequestFrame {
  /** Clock time (ms, engine clock) when onRequest ran. */
  readonly startTime: number;
  readonly method: string;
  /**
   * Route template (`/orders/:id`, with prefix and version), '' when no route matched. Fastify
   * knows it when the request opens; Express sets it when the route matches.
   */
  route: string;
  /**
   * The server span (recording or not); null when tracing is off or the route is ignored.
   * Express starts it when the route matches (the route decides name, sampling and ignoreRoutes).
   */
  span: Span | null;
  /** Set once the request has been finished (response, abort or timeout), so it ends once. */
  finished: boolean;

  constructor(startTime: number, method: string, route: string, span: Span | null) {
    this.startTime = startTime;
    this.method = method;
    this.route = route;
    this.span = span;
    this.finished = false;
  }
}
