// Records exceptions thrown by guards, pipes, interceptors and handlers of HTTP routes as
// events on the server span, whatever exception filter then answers them, at no cost to a
// request that throws nothing.
//
// Why not a global interceptor (what this was before): any APP_INTERCEPTOR makes Nest run its
// RxJS interceptor pipeline (defer/mergeAll, two AsyncResources, an Observable per request and
// lastValueFrom) on EVERY request of every route. Measured in-process (fastify.inject, CPU time,
// interleaved medians, this machine class): a no-op global interceptor alone cost bare Nest
// several µs per request; see the README "Nest module on Fastify" figures.
// Why not Fastify's onError hook: Nest's router catches these exceptions itself and answers
// through its ExceptionsHandler, so Fastify never sees them.
//
// How: Nest resolves each route's exception filters once, at startup, as method filters, then
// class filters, then global ones, and per exception picks the first whose @Catch() types
// match with `exception instanceof Type`. A filter appended to each route method's own
// filters is asked first; its one @Catch() type answers `instanceof` by recording the
// exception and returning false, so Nest goes on to the filter that really answers (the
// user's, or its built-in one) exactly as if this one were not there.

import { Catch, UseFilters, type ExceptionFilter } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';
import { currentStore } from '../engine/internal.js';
import { RequestFrame } from './fastify/request-frame.js';

/** Never matches: asking it records the exception on the current request's server span. */
class RecordedOnServerSpan {
  static [Symbol.hasInstance](exception: unknown): boolean {
    const frame = currentStore()?.frame;
    if (frame instanceof RequestFrame && frame.span !== null) frame.span.recordException(exception);
    return false;
  }
}

@Catch(RecordedOnServerSpan)
class ExceptionRecorderFilter implements ExceptionFilter {
  /* istanbul ignore next: its one @Catch() type never matches, so Nest never calls it */
  catch(): void {}
}

/** One instance for every app: it holds nothing of an app, only reads the current store. */
const recorder = new ExceptionRecorderFilter();

/**
 * Adds the recorder to the filters of every HTTP route method of the app's controllers.
 * Call before Nest registers the routes (it reads the filters then). Idempotent: the same
 * controller class in several apps (tests) gets the recorder once.
 */
export function recordRouteExceptions(modules: ModulesContainer): void {
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const metatype = wrapper.metatype;
      if (typeof metatype !== 'function') continue;
      addToRouteMethods(metatype.prototype as object);
    }
  }
}

function addToRouteMethods(prototype: object): void {
  // Route methods may be inherited from a base controller: Nest's router walks the chain too.
  const seen = new Set<string>();
  for (let proto: object | null = prototype; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      const method: unknown = descriptor?.value;
      if (typeof method !== 'function' || Reflect.getMetadata(PATH_METADATA, method) === undefined) continue;
      const filters = Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, method) as unknown[] | undefined;
      if (filters !== undefined && filters.includes(recorder)) continue;
      UseFilters(recorder)(proto, key, descriptor as TypedPropertyDescriptor<unknown>);
    }
  }
}
