// The providers both entry modules share. They differ only in how RESOLVED_OPTIONS is made.

import type { Provider } from '@nestjs/common';
import { RequestContextLifecycle } from './request-context.lifecycle.js';
import { RequestContextService } from './request-context.service.js';

export const SHARED_PROVIDERS: Provider[] = [
  RequestContextService,
  RequestContextLifecycle,
];
