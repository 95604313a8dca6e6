// Scenario `nestjs-cls`: nestjs-cls 7 set up as its docs recommend for REST on Fastify
// ("the preferred way is to use the ClsMiddleware with the mount option set to true",
// papooch.github.io/nestjs-cls/considerations/compatibility), with a request id generated
// (`generateId`, as its setup guide shows) and the trace id stored by the `setup` callback.
import { ClsModule, ClsServiceManager } from 'nestjs-cls';
import { serveScenario, traceIdOfTraceparent } from './ipc.js';
import { startNestScenario } from './nest-app.js';

serveScenario(() =>
  startNestScenario({
    imports: [
      ClsModule.forRoot({
        global: true,
        middleware: {
          mount: true,
          generateId: true,
          setup: (cls, request: { headers: Record<string, string | string[] | undefined> }) => {
            cls.set('traceId', traceIdOfTraceparent(request.headers.traceparent));
          },
        },
      }),
    ],
    readTraceId: () => (ClsServiceManager.getClsService().get('traceId') as string | null | undefined) ?? null,
  }),
);
