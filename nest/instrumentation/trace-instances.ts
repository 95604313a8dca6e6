// `traceInstances(options)`: the `instrument` option of NestFactory.create that gives every
// method call of the matching providers and controllers an INTERNAL span `Class.method`, with
// no decorator on the user's classes. Nest 11.1.4+ passes each instance its container creates
// through `instrument.instanceDecorator` (checked in @nestjs/core 12.5: injector.js calls it
// after construction and after a factory provider resolves, and a decorator that throws only
// logs a warning); the instance itself is decorated, not its class (engine traceMethodCalls).

import { invalidOption, traceMethodCalls } from '../../engine/index.js';

/** A class name, with `*` matching any run of characters (`'*Service'`, `'Orders*'`), or a RegExp. */
export type ClassNamePattern = string | RegExp;

export interface TraceInstancesOptions {
  /** Which instances: class name patterns, or a predicate on the class name and the instance. Required. */
  readonly include: readonly ClassNamePattern[] | ((className: string, instance: object) => boolean);
  /** Class name patterns left out even when included. Default none. */
  readonly exclude?: readonly ClassNamePattern[];
}

/** The shape of NestFactory.create's `instrument` option. */
export interface NestInstrumentOption {
  instanceDecorator(instance: unknown): unknown;
}

const PATTERNS = 'an array of class names ("*" matches any characters) or RegExps';

/** One pattern as a test, compiled once at startup (a glob becomes an anchored RegExp). */
function compilePattern(pattern: unknown, path: string): (name: string) => boolean {
  if (pattern instanceof RegExp) {
    // A /g or /y RegExp keeps lastIndex between tests: test a copy without those flags.
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    return (name) => re.test(name);
  }
  if (typeof pattern !== 'string' || pattern === '') throw invalidOption(path, pattern, 'a non-empty class name pattern or a RegExp');
  if (!pattern.includes('*')) return (name) => name === pattern;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}

function compileList(value: unknown, path: string): (name: string) => boolean {
  if (!Array.isArray(value)) throw invalidOption(path, value, PATTERNS);
  const tests = value.map((p, i) => compilePattern(p, `${path}[${i}]`));
  return (name) => tests.some((t) => t(name));
}

/** The class name of a class instance, or '' for anything else (plain objects, functions, values). */
function classNameOf(instance: unknown): string {
  if (typeof instance !== 'object' || instance === null) return '';
  const ctor = (instance as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function' || ctor === Object) return '';
  return typeof ctor.name === 'string' ? ctor.name : '';
}

/**
 * `NestFactory.create(AppModule, adapter, { instrument: traceInstances({ include: ['*Service'] }) })`.
 * Throws ERR_INVALID_OPTION for bad options, naming `traceInstances.include` / `.exclude`.
 */
export function traceInstances(options: TraceInstancesOptions): NestInstrumentOption {
  if (typeof options !== 'object' || options === null) throw invalidOption('traceInstances', options, 'an object { include, exclude? }');
  for (const key of Object.keys(options)) {
    if (key !== 'include' && key !== 'exclude') throw invalidOption(`traceInstances.${key}`, (options as unknown as Record<string, unknown>)[key], 'no such option; traceInstances takes include, exclude');
  }
  const include = options.include;
  let included: (name: string, instance: object) => boolean;
  if (typeof include === 'function') {
    included = (name, instance) => {
      try {
        return include(name, instance) === true;
      } catch {
        return false;
      }
    };
  } else if (include === undefined) {
    throw invalidOption('traceInstances.include', include, `${PATTERNS}, or a predicate (className, instance) => boolean`);
  } else {
    const test = compileList(include, 'traceInstances.include');
    included = (name) => test(name);
  }
  const excluded = options.exclude === undefined ? null : compileList(options.exclude, 'traceInstances.exclude');
  return {
    instanceDecorator(instance: unknown): unknown {
      const name = classNameOf(instance);
      if (name === '' || (excluded !== null && excluded(name)) || !included(name, instance as object)) return instance;
      traceMethodCalls(instance as object, name);
      return instance;
    },
  };
}
