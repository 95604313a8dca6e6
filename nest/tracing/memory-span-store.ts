// The store `exporters: [{ type: 'memory' }]` writes to when the config names no store of its
// own: one per process, so `nestjs-trace-context/testing` can read what any app exported.

import { InMemorySpanStore } from '../../engine/index.js';

export const defaultMemoryStore = new InMemorySpanStore();
