// Starts one demo service: `node dist/examples/demo/service.main.js gateway|orders`.
// Ports from PORT_GATEWAY / PORT_ORDERS (defaults 3000 / 3001); the gateway finds the orders
// service at ORDERS_URL (default http://127.0.0.1:$PORT_ORDERS).

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { demoConfig } from './demo-config.js';
import { DemoModule, type DemoService } from './demo-module.js';

async function main(): Promise<void> {
  const service = process.argv[2];
  if (service !== 'gateway' && service !== 'orders') {
    console.error('usage: service.main.js gateway|orders');
    process.exit(2);
  }
  const config = demoConfig();
  const app = await NestFactory.create<NestFastifyApplication>(DemoModule.forService(service as DemoService, config), new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen(service === 'gateway' ? config.gatewayPort : config.ordersPort, config.host);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  // The launcher and the tests wait for this exact line.
  console.log(`${service} listening on http://${config.host}:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
