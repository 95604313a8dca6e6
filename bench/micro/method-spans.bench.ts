// traceInstances' per-call cost: a provider method called directly, and through the wrapper
// traceMethodCalls puts on the instance, in an unsampled and a sampled request scope. The
// sampled case includes the span's whole life (start, active scope, end, release).
import { pathToFileURL } from 'node:url';
import { runWithSpan } from '../../engine/context/index.js';
import { traceMethodCalls } from '../../engine/instrumentation/index.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { setGlobalTracer } from '../../engine/spans/global-tracer.js';
import { SpanKind } from '../../engine/spans/span-data.js';
import { Tracer } from '../../engine/spans/tracer.js';
import { defineSuite, runStandalone } from './harness.js';
import { releasingProcessor } from './releasing-processor.js';

class PriceService {
  price(id: number): number {
    return id * 10;
  }
}

const tracer = new Tracer({ sampler: { type: 'parentbased_always_on' }, processor: releasingProcessor });
setGlobalTracer(tracer);
const plain = new PriceService();
const traced = new PriceService();
traceMethodCalls(traced, 'PriceService');

const sampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1, undefined, true, undefined);
const unsampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 0, undefined, true, undefined);
const sampledServer = tracer.startSpan('GET /prices/:id', { kind: SpanKind.SERVER, parent: sampledParent });
const unsampledServer = tracer.startSpan('GET /prices/:id', { kind: SpanKind.SERVER, parent: unsampledParent });

let n = 0;
export const suite = defineSuite({
  name: 'method-spans',
  cases: [
    { name: 'method call, not traced', impl: 'bare', fn: () => runWithSpan(unsampledServer, () => plain.price(n++)) },
    { name: 'method call, traced, unsampled (ntc)', impl: 'ntc', fn: () => runWithSpan(unsampledServer, () => traced.price(n++)) },
    { name: 'method call, traced, sampled (ntc)', impl: 'ntc', fn: () => runWithSpan(sampledServer, () => traced.price(n++)) },
  ],
  comparisons: [],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
