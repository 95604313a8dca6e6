// Starts and stops the request path of one app: installs the request path of the app's platform
// (Fastify or Express, nest/platform), publishes the tracing runtime, and flushes export on
// shutdown.

import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import {
  enableOutboundHttp,
  getGlobalTracer,
  setGlobalTracer,
  loadOtelApi,
  type PropagateTo,
  type Tracer,
} from '../engine/index.js';
import { startLibrarySpans, registerOtelApiGlobals } from '../engine/internal.js';
import { recordRouteExceptions } from './exception-recorder.filter.js';
import type { ResolvedOptions } from './options/resolve-options.js';
import { platformOf } from './platform/http-platform.js';
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
    // Fastify's hooks go on now, while Nest builds the providers: HttpAdapterHost already holds
    // the adapter, and Nest registers its routes later (app.init), so the onRoute hook sees
    // every one of them (by onModuleInit they are registered: test/nest/platform-facts.test.ts).
    // Express's wait for onModuleInit: its route layers go into the registered routes.
    this.installHooks(false);
  }

  /**
   * With @nestjs/testing the providers are built before createNestApplication() hands over
   * the adapter: then the hooks go on in onModuleInit, after the routes (`routesRegistered`).
   * An adapter other than Fastify's or Express's fails here with ERR_UNSUPPORTED_PLATFORM.
   * A standalone application context or a pure microservice has no HTTP adapter: only the
   * runtime is published (microservice and job propagation use it).
   */
  private installHooks(routesRegistered: boolean): void {
    if (this.hooksInstalled) return;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    this.hooksInstalled = platformOf(adapter).install(adapter, this.options, this.runtime, routesRegistered);
  }

  async onModuleInit(): Promise<void> {
    this.installHooks(true);
    const metricsStarted = this.options.metrics?.start();
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
        sensitiveQueryParams: outbound.sensitiveQueryParams as string[] | undefined,
      }, outbound.path);
    }
    if (this.runtime !== null && this.options.tracing !== null) {
      this.disposeLibrarySpans = startLibrarySpans(this.runtime.tracer, this.options.tracing.instrumentations);
      if (this.options.tracing.otel === null && this.options.tracing.otelApi) {
        const api = loadOtelApi();
        if (api !== null) this.disposeOtelApi = registerOtelApiGlobals(api, this.runtime.tracer, this.runtime.propagator);
      }
    }
    // Awaited last: a scrape port already in use fails startup.
    await metricsStarted;
  }

  /**
   * Sends the spans finished so far while the server still drains its last requests; from here
   * shutdown as a whole takes at most `tracing.shutdownTimeoutMillis`.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const runtime = this.runtime;
    if (runtime !== null) await (runtime.flushBeforeShutdown === undefined ? runtime.forceFlush() : runtime.flushBeforeShutdown());
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
