// Event handlers (@EventPattern) send no reply, and Nest's base server connects their result
// without subscribing, so a failure is only logged: neither the processing end hook nor a reply
// says it happened. An interceptor on each event handler method sees the handler's failures
// (thrown, rejected, an erroring stream, a failing pipe) inside the message's context and marks
// the consumer span. It is added to the method's own interceptor metadata when the module is
// created, which is before Nest builds any microservice handler (listeners are registered when
// a microservice initialises); no Nest code is replaced, and HTTP routes and request-response
// handlers get no interceptor. A guard that denies an event runs before interceptors and is
// not recorded.

import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs/operators';
import { markMessageFailed } from './traced-server.js';

/**
 * Nest's metadata keys and value (@nestjs/common INTERCEPTORS_METADATA, @nestjs/microservices
 * PATTERN_HANDLER_METADATA and PatternHandler.EVENT, which the package does not export from its
 * entry); a platform-facts test pins them.
 */
export const INTERCEPTORS_METADATA = '__interceptors__';
export const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
export const EVENT_HANDLER = 2;

interface MetadataReflect {
  getMetadata(key: string, target: object): unknown;
  defineMetadata(key: string, value: unknown, target: object): void;
}

/** The class name (RpcException keeps `name` 'Error'), as error.type wants the exception type. */
function errorType(err: unknown): string {
  if (!(err instanceof Error)) return '_OTHER';
  const name = err.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : err.name;
}

function recordEventError(err: unknown): void {
  markMessageFailed(err, errorType(err));
}

/** One shared instance: Nest takes an interceptor object as it is, with no DI. */
const recorder: NestInterceptor = {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(tap({ error: recordEventError }));
  },
};

/** Adds the recorder in front of the interceptors of every event handler method of `controller` (idempotent). */
export function observeEventHandlers(controller: Function): number {
  const reflect = Reflect as unknown as MetadataReflect;
  if (typeof reflect.getMetadata !== 'function') return 0;
  let added = 0;
  const seen = new Set<string>();
  for (let proto = controller.prototype as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const method = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      if (typeof method !== 'function') continue;
      if (reflect.getMetadata(PATTERN_HANDLER_METADATA, method) !== EVENT_HANDLER) continue;
      const current = (reflect.getMetadata(INTERCEPTORS_METADATA, method) as unknown[] | undefined) ?? [];
      if (current.includes(recorder)) continue;
      reflect.defineMetadata(INTERCEPTORS_METADATA, [recorder, ...current], method);
      added++;
    }
  }
  return added;
}
