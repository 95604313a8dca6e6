// The per-request cost of the Nest module's Express path (the adapter's request hook -> the
// route's first layer -> the response's 'close'), against the raw ALS floor (one als.run per
// request, what the `nest-express-als` HTTP scenario pays). Driven like nest-request.bench.ts:
// minimal request/response objects carrying the fields the module reads, so the numbers are the
// module's own cost, not Express's or Nest's (the HTTP suite's `*-express` rows measure those).

import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Tracer, createPropagator } from '../../engine/index.js';
import type { ExpressAdapterLike, RouteHandler } from '../../nest/express/express-types.js';
import { installExpressRequestPath } from '../../nest/express/request-path.js';
import { resolveOptions } from '../../nest/options/resolve-options.js';
import type { TracingRuntime } from '../../nest/tracing/tracing-runtime.js';
import { defineSuite, runStandalone } from './harness.js';

const noop = (): void => {};

/** Installs the path on a stand-in adapter and returns one request cycle. */
function expressCycle(tracing: 'off' | 'sampled' | 'unsampled'): () => unknown {
  const options = resolveOptions({ tracing: tracing === 'off' ? false : { exporters: [] } }, {});
  const runtime: TracingRuntime | null =
    tracing === 'off'
      ? null
      : {
          tracer: new Tracer({ sampler: { type: tracing === 'sampled' ? 'always_on' : 'always_off' }, processor: null }),
          propagator: createPropagator({ extract: ['w3c'], inject: ['w3c'] }),
          stats: () => ({}) as never,
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
        };
  // One Nest route as Express's Router 2 keeps it: its own stack of method layers.
  const route = {
    path: '/orders/:id',
    methods: { get: true } as Record<string, boolean>,
    stack: [] as Array<{ method: string; handle: RouteHandler }>,
    get(handle: RouteHandler) {
      this.stack.push({ method: 'get', handle });
    },
    all: noop,
  };
  let requestHook: RouteHandler | null = null;
  const adapter: ExpressAdapterLike = {
    getInstance: <T>() => ({ router: { stack: [{ route, handle: noop }] }, use: noop, get: noop }) as T,
    getHttpServer: () => undefined,
    setOnRequestHook: (hook) => {
      requestHook = hook;
    },
  };
  installExpressRequestPath(adapter, options, runtime);
  const onRequest = requestHook!;
  const routeLayer = route.stack[0]!.handle;
  const headers = {
    host: '127.0.0.1:3000',
    'user-agent': 'bench',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };
  // Express allocates the request and response, not the module: one of each is reused here.
  const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true, setHeader: noop, header: noop });
  const req = {
    headers,
    method: 'GET',
    httpVersion: '1.1',
    originalUrl: '/orders/42?x=1',
    path: '/orders/42',
    baseUrl: '',
    protocol: 'http',
    hostname: '127.0.0.1',
    ip: '127.0.0.1',
    socket: {},
  };
  Object.assign(res, { req });
  const r = req as never;
  const s = res as never;
  // Express runs the route's layers inside the context the request hook opened (next() runs in als.run).
  const toRoute = (): void => routeLayer(r, s, noop);
  return () => {
    onRequest(r, s, toRoute);
    res.emit('close');
    res.removeAllListeners('close');
    return req;
  };
}

const floorAls = new AsyncLocalStorage<{ id: number; span: null }>();
let n = 0;
function floor(): unknown {
  return floorAls.run({ id: n++, span: null }, noop);
}

export const suite = defineSuite({
  name: 'nest-express-request',
  cases: [
    { name: 'express path, tracing off (ntc)', impl: 'ntc', fn: expressCycle('off') },
    { name: 'express path, unsampled (ntc)', impl: 'ntc', fn: expressCycle('unsampled') },
    { name: 'express path, sampled (ntc)', impl: 'ntc', fn: expressCycle('sampled') },
    { name: 'als.run + store (floor)', impl: 'floor', fn: floor },
  ],
  comparisons: [{ id: 'nest-express-off-vs-floor', ours: 'express path, tracing off (ntc)', theirs: 'als.run + store (floor)', metric: 'time' }],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
