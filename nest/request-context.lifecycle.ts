// Starts and stops the request path of one app: installs the Fastify hooks once the app's
// modules are initialised, publishes the tracing runtime, and flushes export on shutdown.

import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import {
  ErrorCodes,
  TraceContextError,
  enableOutboundHttp,
  getGlobalTracer,
  setGlobalTracer,
  startLibrarySpans,
  loadOtelApi,
  registerOtelApiGlobals,
  type PropagateTo,
  type Tracer,
} from '../engine/index.js';
import { recordRouteExceptions } from './exception-recorder.filter.js';
import { installRequestHooks } from './fastify/request-hooks.js';
import type { ResolvedOptions } from './options/resolve-options.js';
import { RESOLVED_OPTIONS } from './request-context.module-definition.js';
import { getTracingRuntime, setTracingRuntime } from './tracing/active-runtime.js';
import { createTracingRuntime } from './tracing/create-tracing-runtime.js';
import type { TracingRuntime } from './tracing/tracing-runtime.js';

@Injectable()
export class RequestContextLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly runtime: TracingRuntime | null;
  private stopping: Promise<void> | null = null;
  /** The global tracer before this app started, put back when it stops. */
  private previousTracer: Tracer | null = null;
  /** Undoes this app's outbound HTTP instrumentation (a no-op once another app replaced it). */
  private disposeOutboundHttp: (() => void) | null = null;
  /** Undoes this app's library spans (ioredis, node-redis, mysql2, GraphQL channels). */
  private disposeLibrarySpans: (() => void) | null = null;
  /** Takes this app's engine back out of @opentelemetry/api's globals (null: it was not registered). */
  private disposeOtelApi: (() => void) | null = null;
  private hooksInstalled = false;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly adapterHost: HttpAdapterHost,
    modules: ModulesContainer,
  ) {
    this.runtime = options.tracing === null ? null : createTracingRuntime(options.tracing, process.env, options.metrics?.spanEndHook ?? null);
    // Before Nest reads the routes' exception filters (when it registers the routes): tracing
    // off, nothing is recorded, so the routes keep exactly the filters the app gave them.
    if (this.runtime !== null) recordRouteExceptions(modules);
    // Hooks go on now, while Nest builds the providers: HttpAdapterHost already holds the
    // adapter, and Nest registers its routes later (app.init), so the onRoute hook sees every
    // one of them (by onModuleInit they are registered: test/nest/platform-facts.test.ts).
    this.installHooks(false);
  }

  /**
   * With @nestjs/testing the providers are built before createNestApplication() hands over
   * the adapter: then the hooks go on in onModuleInit, after the routes (`routesRegistered`).
   * A standalone application context or a pure microservice has no HTTP adapter: only the
   * runtime is published (microservice and job propagation use it).
   */
  private installHooks(routesRegistered: boolean): void {
    if (this.hooksInstalled) return;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    const type = adapter.getType();
    if (type !== 'fastify') {
      throw new TraceContextError(
        ErrorCodes.ERR_UNSUPPORTED_PLATFORM,
        `RequestContextModule runs on @nestjs/platform-fastify; this app uses "${type}". ` +
          'Create the app with new FastifyAdapter().',
      );
    }
    const fastify = adapter.getInstance<FastifyInstance>();
    installRequestHooks(fastify, this.options, this.runtime, routesRegistered);
    this.options.metrics?.registerRoute(fastify);
    this.hooksInstalled = true;
  }

  onModuleInit(): void {
    this.installHooks(true);
    this.options.metrics?.start();
    setTracingRuntime(this.runtime);
    // The engine's module-level API (startSpan, getTraceContext, runWithTrace, outbound HTTP)
    // and @Span use the global tracer: make it this app's.
    if (this.runtime !== null) {
      this.previousTracer = getGlobalTracer();
      setGlobalTracer(this.runtime.tracer);
    }
    const outbound = this.options.tracing?.outboundHttp ?? null;
    if (this.runtime !== null && outbound !== null) {
      this.disposeOutboundHttp = enableOutboundHttp({
        tracer: this.runtime.tracer,
        propagator: this.runtime.propagator,
        propagateTo: outbound.propagateTo as PropagateTo | undefined,
      });
    }
    if (this.runtime !== null && this.options.tracing !== null) {
      this.disposeLibrarySpans = startLibrarySpans(this.runtime.tracer, this.options.tracing.instrumentations);
      if (this.options.tracing.otel === null && this.options.tracing.otelApi) {
        const api = loadOtelApi();
        if (api !== null) this.disposeOtelApi = registerOtelApiGlobals(api, this.runtime.tracer, this.runtime.propagator);
      }
    }
  }

  /** Sends the spans finished so far while the server still drains its last requests. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.runtime !== null) await this.runtime.forceFlush();
  }

  /** After the server closed (every request ended): flush the rest and stop the exporters. */
  onApplicationShutdown(): Promise<void> {
    if (this.stopping === null) {
      this.disposeOutboundHttp?.();
      this.disposeOutboundHttp = null;
      this.disposeLibrarySpans?.();
      this.disposeLibrarySpans = null;
      this.disposeOtelApi?.();
      this.disposeOtelApi = null;
      const runtime = this.runtime;
      if (getTracingRuntime() === runtime) setTracingRuntime(null);
      if (runtime !== null && this.previousTracer !== null && getGlobalTracer() === runtime.tracer) {
        setGlobalTracer(this.previousTracer);
      }
      const metrics = this.options.metrics;
      this.stopping = Promise.all([runtime?.shutdown(), metrics?.shutdown()]).then(() => undefined);
    }
    return this.stopping;
  }
}
