// The parts of Express 5 (Router 2) and of Nest's ExpressAdapter the module reads. Express ships
// no types and the package does not depend on it: these are checked against its behaviour by
// test/nest/express-request-path.test.ts.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The parts of Express's route the module reads: Router 2 `Route` (express/lib/router). */
export interface ExpressRoute {
  path: unknown;
  methods: Record<string, boolean | undefined>;
  stack: unknown[];
  all(handler: RouteHandler): unknown;
  [method: string]: unknown;
}

export interface ExpressRequest extends IncomingMessage {
  route?: ExpressRoute;
  baseUrl: string;
  originalUrl: string;
  path: string;
  protocol: string;
  hostname: string | undefined;
  ip: string | undefined;
}

export interface ExpressResponse extends ServerResponse {
  req: ExpressRequest;
  header(name: string, value: string): unknown;
}

export type RouteHandler = (req: ExpressRequest, res: ExpressResponse, next: (err?: unknown) => void) => void;

export interface ExpressLayer {
  route?: ExpressRoute | null;
  handle: unknown;
}

export interface ExpressApp {
  router: { stack: ExpressLayer[] };
  use(handler: RouteHandler): unknown;
  get(path: string, handler: RouteHandler): unknown;
}

/** What the module uses of Nest's ExpressAdapter. */
export interface ExpressAdapterLike {
  getInstance<T>(): T;
  getHttpServer(): Server | undefined;
  setOnRequestHook(hook: RouteHandler): void;
}
