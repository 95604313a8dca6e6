export { ContextKey } from './context-key.js';
export { ContextSnapshot, ContextStore } from './context-store.js';
export {
  context,
  currentStore,
  runWithStore,
  createStore,
  runWithSpan,
  storeWithSpan,
  bindChannelStore,
  runOutsideContext,
} from './request-context.js';
export type { ContextInit, SetPolicy } from './request-context.js';
