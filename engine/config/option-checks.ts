// The checks every option resolver shares (option paths, unknown keys, URLs, headers, timeouts,
// enums): option values in code throw invalidOption (a startup error naming the path); OTEL_*
// values are reported to the logger and ignored, as the configuration spec asks.

import { invalidOption } from '../errors.js';
import { envFirst, envInteger, parseKeyValueList, type Env } from './env.js';
import type { ExportLogger } from './logger.js';
import { REDACTED, redactedUrlText } from './redact-endpoint.js';

/** `key` under `path`; an empty path is the top level (engine users' options object). */
export function optionPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * A misspelt key (`endpont`, `maxQueue`) would otherwise be ignored and the default kept, so
 * every options object is checked against its known keys.
 */
export function checkOptionKeys(path: string, object: object, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw invalidOption(optionPath(path, key), (object as Record<string, unknown>)[key], `no such option; ${path === '' ? 'the options object' : path} takes ${allowed.join(', ')}`);
    }
  }
}

export function optionUrl(path: string, value: unknown): URL | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url;
    } catch {
      // fall through to the error
    }
  }
  throw invalidOption(path, typeof value === 'string' ? redactedUrlText(value) : value, 'an http:// or https:// URL');
}

/** An env URL, or undefined with a warning when it is not http(s). */
export function envUrl(name: string, value: string, logger: ExportLogger): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through to the warning
  }
  logger.warn(`ignoring ${name}=${JSON.stringify(redactedUrlText(value))}: expected an http:// or https:// URL`);
  return undefined;
}

/** Header names: RFC 9110 token characters. */
function isToken(name: string): boolean {
  if (name === '') return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || '!#$%&\'*+-.^_`|~'.includes(name[i]!);
    if (!ok) return false;
  }
  return true;
}

function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

export function optionHeaders(path: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(path, value, 'an object of header name to string value');
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isToken(name)) throw invalidOption(`${path}["${name}"]`, name, 'a header name (RFC 9110 token)');
    // The value is not echoed: a header value is often a credential.
    if (typeof v !== 'string' || !isHeaderValue(v)) throw invalidOption(`${path}.${name}`, typeof v === 'string' ? REDACTED : v, 'a string without control characters');
    out[name.toLowerCase()] = v;
  }
  return out;
}

/** Headers from a generic and a signal-specific variable (the specific one wins per key). */
export function envHeaders(env: Env, names: readonly string[], logger: ExportLogger): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const found = envFirst(env, [name]);
    if (found === undefined) continue;
    for (const [key, value] of parseKeyValueList(found.value, name, logger)) {
      if (isToken(key) && isHeaderValue(value)) out[key.toLowerCase()] = value;
      else logger.warn(`ignoring header ${JSON.stringify(key)} from ${name}: not a valid header name or value`);
    }
  }
  return out;
}

export function optionTimeout(path: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw invalidOption(path, value, 'a positive integer (milliseconds)');
}

export function envTimeout(env: Env, names: readonly string[], logger: ExportLogger): number | undefined {
  for (const name of names) {
    const value = envInteger(env, name, 1, logger);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function optionEnum<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidOption(path, value, allowed.map((a) => `'${a}'`).join(' | '));
}

export function envEnum<T extends string>(env: Env, names: readonly string[], allowed: readonly T[], logger: ExportLogger): T | undefined {
  const found = envFirst(env, names);
  if (found === undefined) return undefined;
  const value = found.value.toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  logger.warn(`ignoring ${found.name}=${JSON.stringify(found.value)}: expected ${allowed.join(', ')}; using the default`);
  return undefined;
}
