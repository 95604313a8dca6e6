// `nestjs-trace-context/microservices`: trace propagation for @nestjs/microservices 12.1+.
// A separate entry so apps without @nestjs/microservices never load it.
import '../jobs/trace-carrier-source.js';
export { MicroservicesTracingModule, MicroservicesTracer } from './microservices-tracing.module.js';
export type { MicroservicesTracingOptions } from './microservices-tracing.module.js';
export { traceClient, isTracedClient } from './traced-client.js';
export type { AnyClientProxy } from './client-carrier.js';
export { traceServer, isTracedServer, MessageFrame } from './traced-server.js';
export type { AnyServer } from './traced-server.js';
