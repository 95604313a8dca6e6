// The two demo services as Nest modules: the same RequestContextModule set-up, different
// controllers.

import { Module, type DynamicModule } from '@nestjs/common';
import { RequestContextModule } from '../../nest/index.js';
import { DEMO_CONFIG, type DemoConfig } from './demo-config.js';
import { InMemorySpanStore, demoTracing } from './demo-tracing.js';
import { GatewayController } from './gateway.controller.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';
import { PropagationTestController } from './propagation-test.controller.js';
import { TRACES_SOURCE, TracesController, type TracesSource } from './traces.controller.js';
import { TraceUiController } from './ui/trace-ui.controller.js';

export type DemoService = 'gateway' | 'orders';

@Module({})
export class DemoModule {
  static forService(service: DemoService, config: DemoConfig): DynamicModule {
    const store = new InMemorySpanStore();
    const source: TracesSource = { service, store, upstreams: service === 'gateway' ? [config.ordersUrl] : [] };
    return {
      module: DemoModule,
      imports: [RequestContextModule.forRoot({ tracing: demoTracing(service, store), metrics: { prometheus: { route: '/metrics' } } })],
      controllers:
        service === 'gateway'
          ? [GatewayController, ...(config.w3cTest ? [PropagationTestController] : []), TracesController, TraceUiController]
          : [OrdersController, TracesController, TraceUiController],
      providers: [
        { provide: DEMO_CONFIG, useValue: config },
        { provide: TRACES_SOURCE, useValue: source },
        ...(service === 'orders' ? [OrdersService] : []),
      ],
    };
  }
}
