// Records exceptions thrown by pipes, the handler and inner interceptors as events on the
// server span, whatever exception filter later turns them into a response. Nest's router
// catches them before Fastify could see them (Fastify's onError hook only sees what Fastify
// itself handles), so an interceptor is the one filter-independent place. Guard exceptions
// run before interceptors: their status (401/403) is still on the span.
// The `tap` operator is built once and shared; per request this costs one `pipe`.

import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { currentStore } from '../engine/index.js';
import { RequestFrame } from './fastify/request-frame.js';
import type { ResolvedOptions } from './options/resolve-options.js';
import { RESOLVED_OPTIONS } from './request-context.module-definition.js';

function recordOnServerSpan(error: unknown): void {
  const frame = currentStore()?.frame;
  if (frame instanceof RequestFrame && frame.span !== null) frame.span.recordException(error);
}

const recordErrors = tap({ error: recordOnServerSpan });

@Injectable()
export class ExceptionRecorderInterceptor implements NestInterceptor {
  /** Tracing off: nothing to record, so not even the `pipe`. */
  private readonly recording: boolean;

  constructor(@Inject(RESOLVED_OPTIONS) options: ResolvedOptions) {
    this.recording = options.tracing !== null;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.recording ? next.handle().pipe(recordErrors) : next.handle();
  }
}
