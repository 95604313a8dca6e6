// A span per method call of one object, without touching its class: each method found on the
// object's prototype chain gets a wrapper as an own property of the object (the class, its
// prototype and every other instance stay as they were). Used by the Nest integration's
// traceInstances, which decorates the instances Nest's container creates.
//
// A call records only inside a sampled trace: otherwise the wrapper calls the method at once, and
// that check is all an unsampled request pays (bench/micro/method-spans.bench.ts measures it).
// The span is INTERNAL, named `Class.method`, a child of the active span and active while the
// method runs; it ends when the method returns, throws, or its promise settles (the tracer's
// startActiveSpan), and an error sets status ERROR with an exception event.

import { currentStore } from '../context/index.js';
import { getGlobalTracer } from '../spans/global-tracer.js';
import type { StartSpanOptions } from '../spans/span.js';
import { SpanKind } from '../spans/span-data.js';
import { recordsHere } from './channel-span.js';

const wrapped = new WeakSet<object>();

interface MetadataReflect {
  getMetadataKeys?(target: object): unknown[];
  getMetadata?(key: unknown, target: object): unknown;
  defineMetadata?(key: unknown, value: unknown, target: object): void;
}

/**
 * Decorator metadata (reflect-metadata, which Nest reads from the handler it is given: guards,
 * interceptors, route options) copied onto the wrapper, so a wrapped controller method is still
 * the route Nest registers.
 */
function copyMetadata(from: object, to: object): void {
  const r = Reflect as unknown as MetadataReflect;
  if (typeof r.getMetadataKeys !== 'function' || typeof r.getMetadata !== 'function' || typeof r.defineMetadata !== 'function') return;
  for (const key of r.getMetadataKeys(from)) r.defineMetadata(key, r.getMetadata(key, from), to);
}

function wrap(method: (...args: unknown[]) => unknown, spanName: string): (...args: unknown[]) => unknown {
  const options: StartSpanOptions = { kind: SpanKind.INTERNAL };
  // `arguments` with Reflect.apply: no rest array for the unsampled call.
  const traced = function (this: unknown): unknown {
    const args = arguments;
    if (!recordsHere(currentStore())) return Reflect.apply(method, this, args);
    return getGlobalTracer().startActiveSpan(spanName, options, () => Reflect.apply(method, this, args));
  };
  Object.defineProperty(traced, 'name', { value: method.name, configurable: true });
  Object.defineProperty(traced, 'length', { value: method.length, configurable: true });
  copyMetadata(method, traced);
  return traced;
}

/** The method names of `instance`'s class chain (not Object's), each once, nearest class first. */
function methodNames(instance: object): Map<string, (...args: unknown[]) => unknown> {
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || methods.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      // Accessors stay as they are: a getter is a property read, not a call worth a span.
      if (descriptor !== undefined && typeof descriptor.value === 'function') methods.set(name, descriptor.value as (...args: unknown[]) => unknown);
    }
  }
  return methods;
}

/**
 * Gives every method of `instance` a span `${className}.${method}` per call in a sampled trace.
 * Returns whether anything was wrapped (an instance is wrapped once; a frozen one is left alone).
 */
export function traceMethodCalls(instance: object, className: string): boolean {
  if (wrapped.has(instance) || !Object.isExtensible(instance)) return false;
  wrapped.add(instance);
  let any = false;
  for (const [name, method] of methodNames(instance)) {
    // An own property (a bound arrow set in the constructor) is the object's own state: left alone.
    if (Object.hasOwn(instance, name)) continue;
    Object.defineProperty(instance, name, { value: wrap(method, `${className}.${name}`), writable: true, configurable: true, enumerable: false });
    any = true;
  }
  return any;
}
