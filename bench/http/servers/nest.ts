// Scenario `nest`: bare Nest 12 on platform-fastify. THE BASELINE every ratio is taken against.
import { serveScenario } from './ipc.js';
import { startNestScenario } from './nest-app.js';

serveScenario(() => startNestScenario({ readTraceId: () => null }));
