// Scenario `nest-als`: the physical floor of request context on Nest + Fastify: one raw
// AsyncLocalStorage.run per request in a callback-style Fastify `onRequest` hook (`done`
// inside `run`, the pattern of fastify/fastify-request-context) holding the raw traceparent.
// Nothing a context library does can cost less than this.
import { AsyncLocalStorage } from 'node:async_hooks';
import { serveScenario, traceIdOfTraceparent } from './ipc.js';
import { startNestScenario } from './nest-app.js';

const als = new AsyncLocalStorage<{ traceparent: string | string[] | undefined }>();

serveScenario(() =>
  startNestScenario({
    readTraceId: () => traceIdOfTraceparent(als.getStore()?.traceparent),
    configureFastify: (fastify) => {
      fastify.addHook('onRequest', (request, _reply, done) => {
        als.run({ traceparent: request.headers.traceparent }, done);
      });
    },
  }),
);
