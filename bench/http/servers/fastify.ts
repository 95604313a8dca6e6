// Scenario `fastify`: bare Fastify 5, the ceiling. No context, so no trace id to read.
import Fastify from 'fastify';
import { listenPort, serveScenario } from './ipc.js';

serveScenario(async () => {
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/orders/:id', async (request) => ({ id: request.params.id, traceId: null }));
  await app.listen({ port: listenPort(), host: '127.0.0.1' });
  const address = app.server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, close: () => app.close() };
});
