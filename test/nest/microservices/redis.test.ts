// Nest microservices over Redis with a real redis-server (started on a free port): the trace
// travels in packet metadata, read back with RedisContext#getMetadata().

import { test } from 'node:test';
import { Transport } from '@nestjs/microservices';
import { resetFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startRedis } from '../../helpers/servers.js';
import { ORDERS, assertGatewayTrace, startGateway, startOrders } from './fixtures.js';

test('gateway HTTP -> send over Redis -> reply is one trace with the right parents', async (t) => {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const redis = await startRedis();
  defer(() => redis.stop());
  const options = { host: '127.0.0.1', port: redis.port };
  const orders = await startOrders({ transport: Transport.REDIS, options });
  defer(() => orders.close());
  const gateway = await startGateway({ name: ORDERS, transport: Transport.REDIS, options });
  defer(() => gateway.close());
  await assertGatewayTrace(gateway.origin, 'redis', 4);
});
