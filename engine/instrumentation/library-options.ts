// Options of the library instrumentations (`tracing.instrumentations`), validated once into a
// frozen object where an instrumentation that is off is `null`, so no subscriber branches on
// raw options.

import { invalidOption } from '../errors.js';

/** What `db.query.text` carries: literals replaced by `?` (default), the statement as sent, or nothing. */
export type DbStatementMode = 'sanitized' | 'raw' | 'off';

export interface DbInstrumentationOptions {
  /**
   * Default `'sanitized'`. For Redis both libraries publish arguments already reduced to the
   * safe ones (values become `?`), so `'raw'` shows the same text; for mysql2 `'raw'` is the
   * statement with the caller's values formatted in.
   */
  readonly dbStatement?: DbStatementMode;
}

export interface GraphqlInstrumentationOptions {
  /** A span per field resolver the schema defines (default resolvers are skipped). Default `false`: they are many. */
  readonly resolvers?: boolean;
}

/** Each library: `true` (default), `false`, or its options. */
export interface LibraryInstrumentationOptions {
  readonly ioredis?: boolean | DbInstrumentationOptions;
  /** node-redis (`redis` / `@redis/client`). */
  readonly redis?: boolean | DbInstrumentationOptions;
  readonly mysql2?: boolean | DbInstrumentationOptions;
  readonly graphql?: boolean | GraphqlInstrumentationOptions;
}

export interface DbConfig {
  readonly dbStatement: DbStatementMode;
}

export interface GraphqlConfig {
  readonly resolvers: boolean;
}

export interface LibraryInstrumentationConfig {
  readonly ioredis: DbConfig | null;
  readonly redis: DbConfig | null;
  readonly mysql2: DbConfig | null;
  readonly graphql: GraphqlConfig | null;
}

const LIBRARIES = ['ioredis', 'redis', 'mysql2', 'graphql'] as const;
const DB_DEFAULT: DbConfig = Object.freeze({ dbStatement: 'sanitized' });
const GRAPHQL_DEFAULT: GraphqlConfig = Object.freeze({ resolvers: false });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(path: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw invalidOption(`${path}.${key}`, object[key], `no such option; ${path} takes ${allowed.join(', ')}`);
  }
}

function resolveDb(value: unknown, path: string): DbConfig | null {
  if (value === undefined || value === true) return DB_DEFAULT;
  if (value === false) return null;
  if (!isPlainObject(value)) throw invalidOption(path, value, "true, false or { dbStatement: 'sanitized' | 'raw' | 'off' }");
  checkKeys(path, value, ['dbStatement']);
  const mode = value['dbStatement'];
  if (mode === undefined) return DB_DEFAULT;
  if (mode !== 'sanitized' && mode !== 'raw' && mode !== 'off') {
    throw invalidOption(`${path}.dbStatement`, mode, '"sanitized", "raw" or "off"');
  }
  return Object.freeze({ dbStatement: mode });
}

function resolveGraphql(value: unknown, path: string): GraphqlConfig | null {
  if (value === undefined || value === true) return GRAPHQL_DEFAULT;
  if (value === false) return null;
  if (!isPlainObject(value)) throw invalidOption(path, value, 'true, false or { resolvers: boolean }');
  checkKeys(path, value, ['resolvers']);
  const resolvers = value['resolvers'];
  if (resolvers === undefined) return GRAPHQL_DEFAULT;
  if (typeof resolvers !== 'boolean') throw invalidOption(`${path}.resolvers`, resolvers, 'true or false');
  return Object.freeze({ resolvers });
}

/**
 * Validates `tracing.instrumentations` (`path` names it in errors). `true` or `undefined` turns
 * every library on with defaults, `false` turns all off.
 */
export function resolveLibraryInstrumentations(value: unknown, path: string): LibraryInstrumentationConfig {
  if (value === false) return Object.freeze({ ioredis: null, redis: null, mysql2: null, graphql: null });
  const o = value === undefined || value === true ? {} : value;
  if (!isPlainObject(o)) throw invalidOption(path, value, 'true, false or { ioredis, redis, mysql2, graphql }');
  checkKeys(path, o, LIBRARIES);
  return Object.freeze({
    ioredis: resolveDb(o['ioredis'], `${path}.ioredis`),
    redis: resolveDb(o['redis'], `${path}.redis`),
    mysql2: resolveDb(o['mysql2'], `${path}.mysql2`),
    graphql: resolveGraphql(o['graphql'], `${path}.graphql`),
  });
}
