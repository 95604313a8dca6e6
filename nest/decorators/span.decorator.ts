// @Span(name?) wraps a method in a child span of the active one: ended when the method returns
// or its promise settles; a throw or rejection is recorded as an exception event with error
// status, then rethrown unchanged. Default name `ClassName.method`.
//
// Nest keeps route, guard, pipe and custom metadata on the method function itself
// (Reflect.defineMetadata(key, value, descriptor.value)). Decorators apply bottom-up, so one
// listed below @Span has already written onto the original function: every own metadata key
// is copied to the wrapper, and one listed above @Span writes onto the wrapper directly.

import { getGlobalTracer, invalidArgument } from '../../engine/index.js';

interface MetadataReflect {
  getOwnMetadataKeys?(target: object): unknown[];
  getOwnMetadata?(key: unknown, target: object): unknown;
  defineMetadata?(key: unknown, value: unknown, target: object): void;
}

function copyMetadata(from: object, to: object): void {
  const reflect = Reflect as unknown as MetadataReflect;
  if (reflect.getOwnMetadataKeys === undefined || reflect.defineMetadata === undefined || reflect.getOwnMetadata === undefined) return;
  for (const key of reflect.getOwnMetadataKeys(from)) reflect.defineMetadata(key, reflect.getOwnMetadata(key, from), to);
}

export function Span(name?: string): MethodDecorator {
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw invalidArgument('@Span(name)', name, 'a non-empty string, or no argument for ClassName.method');
  }
  return function (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor {
    const original: unknown = descriptor.value;
    if (typeof original !== 'function') {
      throw invalidArgument(`@Span() target ${String(propertyKey)}`, original, 'a method');
    }
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    const spanName = name ?? `${owner}.${String(propertyKey)}`;

    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      return getGlobalTracer().startActiveSpan(spanName, () => original.apply(this, args));
    };
    Object.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapped, 'length', { value: original.length, configurable: true });
    copyMetadata(original, wrapped);
    descriptor.value = wrapped;
    return descriptor;
  };
}
