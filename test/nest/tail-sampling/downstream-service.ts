// The downstream service of the two-process test, run as its own Node process: the tail app
// with `parentbased_tail` (ratio 0: only a sampled parent or its own errors keep a trace),
// exporting to the sink at TAIL_SINK as service `downstream`. Prints `listening <port>`.

import { startTailApp } from './tail-app.js';
import type { Sink } from '../../helpers/sink.js';

const endpoint = process.env['TAIL_SINK'] ?? '';
const sink = { url: (path = '/') => endpoint + path } as Sink;
const app = await startTailApp(sink, { type: 'parentbased_tail', ratio: 0 }, {});
process.stdout.write(`listening ${app.port}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
