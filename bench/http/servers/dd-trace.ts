// Scenario `dd-trace-100`: Datadog's dd-trace 6 with its defaults, set up as its docs say for an
// ESM service (`node --import dd-trace/initialize.mjs app.js`; the runner adds the flag, see
// scenarios.ts) and no code beyond reading the trace id: every integration it enables by default
// (http, fastify, Nest among them), its default sampling (every trace kept while the agent sets
// no rate), W3C `traceparent` extracted by its default propagation styles. Its agent traffic
// (msgpack traces, telemetry, remote configuration polls) goes to the bench sink, which answers
// as an agent would (DD_TRACE_AGENT_URL, set by the runner).
import tracer from 'dd-trace';
import { serveScenario, traceIdOfTraceparent } from './ipc.js';
import { startNestScenario } from './nest-app.js';

serveScenario(() =>
  startNestScenario({
    readTraceId: () => traceIdOfTraceparent(tracer.scope().active()?.context().toTraceparent()),
  }),
);
