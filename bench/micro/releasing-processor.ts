// The span processor the span-making benches give our tracer: it does only what the export
// pipeline must do with every ended span (release the pooled record, as the batch processor does
// after serializing), so a case measures span work and not export work.
import type { SpanData } from '../../engine/spans/span-data.js';
import type { SpanProcessor } from '../../engine/spans/span-processor.js';

export const releasingProcessor: SpanProcessor = {
  onEnd(span: SpanData): void {
    span.release();
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
