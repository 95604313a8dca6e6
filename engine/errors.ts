// One registry of every error this package throws, each with a stable `code`.
// Pattern after fastify/lib/errors.js and undici/lib/core/errors.js: callers branch on
// `err.code`, never on message text.
//
// `instanceof` must survive two copies of the package in one process (a hoisting accident
// in a monorepo, or the CJS and ESM builds side by side), so class identity is not enough:
// every error carries a brand under a registered symbol and `Symbol.hasInstance` checks it.

const BRAND: unique symbol = Symbol.for('nestjs-trace-context.error') as never;

/** Every code this package throws. Adding one here is the only way to add an error. */
export const ErrorCodes = {
  ERR_CONTEXT_NOT_ACTIVE: 'ERR_CONTEXT_NOT_ACTIVE',
  ERR_CONTEXT_KEY_MISSING: 'ERR_CONTEXT_KEY_MISSING',
  ERR_CONTEXT_KEY_EXISTS: 'ERR_CONTEXT_KEY_EXISTS',
  ERR_INVALID_OPTION: 'ERR_INVALID_OPTION',
  ERR_INVALID_ARGUMENT: 'ERR_INVALID_ARGUMENT',
  ERR_EXPORT_TIMEOUT: 'ERR_EXPORT_TIMEOUT',
  ERR_EXPORT_SHUTDOWN: 'ERR_EXPORT_SHUTDOWN',
  ERR_EXPORT_HTTP: 'ERR_EXPORT_HTTP',
  ERR_OTEL_NOT_REGISTERED: 'ERR_OTEL_NOT_REGISTERED',
  ERR_UNSUPPORTED_PLATFORM: 'ERR_UNSUPPORTED_PLATFORM',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

interface Branded {
  readonly [BRAND]: true;
  readonly code: string;
}

function isBranded(value: unknown): value is Branded {
  return typeof value === 'object' && value !== null && (value as Partial<Branded>)[BRAND] === true;
}

/** Base of every runtime error of this package (not option errors: those are `TypeError`s). */
export class TraceContextError extends Error {
  declare readonly [BRAND]: true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'TraceContextError';
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value) && !(value instanceof TypeError);
  }
}

/**
 * A bad option or argument. A `TypeError`, as fastify and undici throw for bad options, so
 * `instanceof TypeError` also holds; `code` says which kind.
 */
export class TraceContextTypeError extends TypeError {
  declare readonly [BRAND]: true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'TraceContextTypeError';
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value) && Object.prototype.isPrototypeOf.call(TypeError.prototype, value);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) {
    try {
      const json = JSON.stringify(value);
      return json.length > 80 ? json.slice(0, 80) + '…' : json;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/**
 * The error for a bad option at startup: names the option path, the value it got and what is
 * allowed, e.g. `tracing.sampler.ratio: got 2, expected a number from 0 to 1`.
 */
export function invalidOption(option: string, value: unknown, allowed: string): TraceContextTypeError {
  return new TraceContextTypeError(
    ErrorCodes.ERR_INVALID_OPTION,
    `Invalid option ${option}: got ${describe(value)}, expected ${allowed}.`,
  );
}

/** A bad argument to an API call (not configuration): names the argument and what is allowed. */
export function invalidArgument(argument: string, value: unknown, allowed: string): TraceContextTypeError {
  return new TraceContextTypeError(
    ErrorCodes.ERR_INVALID_ARGUMENT,
    `Invalid ${argument}: got ${describe(value)}, expected ${allowed}.`,
  );
}

export function contextNotActive(operation: string): TraceContextError {
  return new TraceContextError(
    ErrorCodes.ERR_CONTEXT_NOT_ACTIVE,
    `${operation} needs an active request context, and none is active here. ` +
      'Inside a Nest request, register RequestContextModule; elsewhere (jobs, scripts, tests) ' +
      'wrap the work in context.run(() => …) or runWithTrace(…).',
  );
}

export function contextKeyMissing(keyName: string): TraceContextError {
  return new TraceContextError(
    ErrorCodes.ERR_CONTEXT_KEY_MISSING,
    `Context key "${keyName}" has no value in the active context. Set it first with ` +
      'context.set(key, value), or use context.get(key) where it may be absent.',
  );
}

export function contextKeyExists(keyName: string): TraceContextError {
  return new TraceContextError(
    ErrorCodes.ERR_CONTEXT_KEY_EXISTS,
    `Context key "${keyName}" already has a value and was set with policy "deny". ` +
      'Use policy "overwrite" to replace it or "ignore" to keep the first value.',
  );
}
