// One import instruments the app's microservice traffic: every microservice server of the app
// (hybrid `connectMicroservice` or standalone `createMicroservice`) and every ClientProxy
// provider (ClientsModule.register / registerAsync, or any provider whose value is a
// ClientProxy). Tracing itself (formats, sampler, exporters) comes from RequestContextModule.

import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ClientProxy, Server } from '@nestjs/microservices';
import type { Subscription } from 'rxjs';
import { invalidOption } from '../../engine/index.js';
import { traceClient } from './traced-client.js';
import { observeEventHandlers } from './event-errors.js';
import { traceServer } from './traced-server.js';

export interface MicroservicesTracingOptions {
  /** Instrument every ClientProxy provider. Default `true`. */
  readonly clients?: boolean;
  /** Instrument every microservice server of the app. Default `true`. */
  readonly servers?: boolean;
}

interface ResolvedMicroservicesTracing {
  readonly clients: boolean;
  readonly servers: boolean;
}

const MICROSERVICES_TRACING_OPTIONS = Symbol('MICROSERVICES_TRACING_OPTIONS');

function resolveOptions(options: unknown): ResolvedMicroservicesTracing {
  if (options === undefined) return { clients: true, servers: true };
  if (typeof options !== 'object' || options === null) {
    throw invalidOption('MicroservicesTracingModule.forRoot', options, 'an object { clients?, servers? }');
  }
  const { clients = true, servers = true } = options as MicroservicesTracingOptions;
  if (typeof clients !== 'boolean') throw invalidOption('MicroservicesTracingModule.clients', clients, 'a boolean');
  if (typeof servers !== 'boolean') throw invalidOption('MicroservicesTracingModule.servers', servers, 'a boolean');
  return Object.freeze({ clients, servers });
}

@Injectable()
export class MicroservicesTracer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscription: Subscription | null;

  constructor(
    private readonly modules: ModulesContainer,
    @Inject(MICROSERVICES_TRACING_OPTIONS) private readonly options: ResolvedMicroservicesTracing,
  ) {
    // Nest announces every server on this registry (a ReplaySubject): the ones created with
    // the container before us and the ones connected later. Hooks must be set before the
    // first message, i.e. before listen(): subscribing in the constructor guarantees it.
    this.subscription = options.servers
      ? modules.getRpcTargetRegistry().subscribe((target) => {
          if (target instanceof Server) traceServer(target);
        })
      : null;
    // Controllers are scanned by now and their handlers not yet built: event handler failures
    // become visible to the consumer span (nest/microservices/event-errors.ts).
    if (options.servers) {
      for (const module of modules.values()) {
        for (const wrapper of module.controllers.values()) {
          if (typeof wrapper.metatype === 'function') observeEventHandlers(wrapper.metatype);
        }
      }
    }
  }

  /** Every provider instance is resolved by now, including async ClientsModule factories. */
  onApplicationBootstrap(): void {
    if (!this.options.clients) return;
    for (const module of this.modules.values()) {
      for (const wrapper of module.providers.values()) {
        // Request-scoped and transient providers have no static instance: traceClient() them.
        const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
        if (instance instanceof ClientProxy) traceClient(instance);
      }
    }
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}

@Module({})
export class MicroservicesTracingModule {
  /** Instruments the app's microservice servers and ClientProxy providers (both by default). */
  static forRoot(options?: MicroservicesTracingOptions): DynamicModule {
    return {
      module: MicroservicesTracingModule,
      global: true,
      providers: [{ provide: MICROSERVICES_TRACING_OPTIONS, useValue: resolveOptions(options) }, MicroservicesTracer],
    };
  }
}
