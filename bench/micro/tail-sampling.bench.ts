// Tail sampling: what a local trace that no rule keeps costs, recorded into pooled records,
// held until its root ends and released unserialized (1 span: a bare server span; 5 spans: a
// server span and four children). Beside it, the same shapes sampled and released at once
// (what a 100% head sampler pays before export) and unsampled (traceidratio 0).
// The tail tracer uses ratio 0 so no trace is a head keep, and no span fails or is slow.
import { SpanKind } from '../../engine/spans/span-data.js';
import { Tracer } from '../../engine/spans/tracer.js';
import type { Span } from '../../engine/spans/span.js';
import { defineSuite, runStandalone } from './harness.js';
import { releasingProcessor } from './releasing-processor.js';
import { pathToFileURL } from 'node:url';

const tail = new Tracer({ sampler: { type: 'tail', ratio: 0 }, processor: releasingProcessor });
const sampled = new Tracer({ sampler: { type: 'always_on' }, processor: releasingProcessor });
const unsampled = new Tracer({ sampler: { type: 'traceidratio', ratio: 0 }, processor: releasingProcessor });

const SERVER = { kind: SpanKind.SERVER };
const child = { parent: null as Span | null };

function trace(tracer: Tracer, spans: number): () => Span {
  return () => {
    const root = tracer.startSpan('GET /orders/:id', SERVER);
    child.parent = root;
    for (let i = 1; i < spans; i++) tracer.startSpan('child', child as never).end();
    child.parent = null;
    root.end();
    return root;
  };
}

export const suite = defineSuite({
  name: 'tail',
  cases: [
    { name: 'unkept local trace, 1 span (tail)', impl: 'ntc', fn: trace(tail, 1) },
    { name: 'unkept local trace, 5 spans (tail)', impl: 'ntc', fn: trace(tail, 5) },
    { name: 'sampled trace released, 1 span (always_on)', impl: 'ntc-head', fn: trace(sampled, 1) },
    { name: 'sampled trace released, 5 spans (always_on)', impl: 'ntc-head', fn: trace(sampled, 5) },
    { name: 'unsampled trace, 1 span (traceidratio 0)', impl: 'ntc-head', fn: trace(unsampled, 1) },
    { name: 'unsampled trace, 5 spans (traceidratio 0)', impl: 'ntc-head', fn: trace(unsampled, 5) },
  ],
  comparisons: [
    // Below 1x: how much more an unkept tail trace costs than recording it under always_on.
    { id: 'tail-unkept-1-vs-sampled', ours: 'unkept local trace, 1 span (tail)', theirs: 'sampled trace released, 1 span (always_on)', metric: 'time' },
    { id: 'tail-unkept-5-vs-sampled', ours: 'unkept local trace, 5 spans (tail)', theirs: 'sampled trace released, 5 spans (always_on)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
