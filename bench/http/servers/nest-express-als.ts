// Scenario `nest-express-als`: the physical floor of request context on Nest + Express: one raw
// AsyncLocalStorage.run per request in the first middleware of the app (`next` inside `run`)
// holding the raw traceparent. Nothing a context library does on Express can cost less.
// Served with BENCH_PLATFORM=express (scenarios.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { serveScenario, traceIdOfTraceparent } from './ipc.js';
import { startNestScenario } from './nest-app.js';

const als = new AsyncLocalStorage<{ traceparent: string | string[] | undefined }>();

serveScenario(() =>
  startNestScenario({
    readTraceId: () => traceIdOfTraceparent(als.getStore()?.traceparent),
    configureExpress: (express) => {
      express.use((req, _res, next) => {
        als.run({ traceparent: req.headers.traceparent }, next);
      });
    },
  }),
);
