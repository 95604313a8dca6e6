// Records exceptions thrown by pipes, the handler and inner interceptors as events on the
// server span, whatever exception filter later turns them into a response. Nest's router
// catches them before Fastify could see them (Fastify's onError hook only sees what Fastify
// itself handles), so an interceptor is the one filter-independent place. Guard exceptions
// run before interceptors: their status (401/403) is still on the span.
// The `tap` operator is built once and shared; per request this costs one `pipe`.

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { currentStore } from '../engine/index.js';
import { RequestFrame } from './fastify/request-frame.js';

function recordOnServerSpan(error: unknown): void {
  const frame = currentStore()?.frame;
  if (frame instanceof RequestFrame && frame.span !== null) frame.span.recordException(error);
}

const recordErrors = tap({ error: recordOnServerSpan });

@Injectable()
export class ExceptionRecorderInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(recordErrors);
  }
}
