// Reading OTEL_* environment variables. The OpenTelemetry configuration spec
// (specification/configuration/sdk-environment-variables.md, "Parsing empty value" and
// "Numeric value"): an empty value means unset, and an invalid value is reported and ignored
// (the default applies) rather than stopping the process. Options passed in code are
// different: they throw invalidOption at startup.

import type { ExportLogger } from './logger.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The value of `name`, trimmed, or undefined when unset or empty. */
export function envString(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/** A non-negative integer variable (`min` 1 for sizes), or undefined with a warning when invalid. */
export function envInteger(env: Env, name: string, min: number, logger: ExportLogger): number | undefined {
  const value = envString(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  logger.warn(`ignoring ${name}=${JSON.stringify(value)}: expected an integer >= ${min}; using the default`);
  return undefined;
}

/** The first of several variables that is set (`_TRACES_` forms come first: they win). */
export function envFirst(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = envString(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/**
 * `k1=v1,k2=v2` as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES use it (W3C
 * baggage syntax without properties, values percent-decoded). A malformed member is skipped
 * with a warning, never thrown: startup must not fail on a header typo.
 */
export function parseKeyValueList(value: string, variable: string, logger: ExportLogger): Map<string, string> {
  const out = new Map<string, string>();
  for (const member of value.split(',')) {
    if (member.trim() === '') continue;
    const eq = member.indexOf('=');
    const key = eq < 0 ? '' : member.slice(0, eq).trim();
    if (key === '') {
      // The member is not echoed: in OTEL_EXPORTER_OTLP_HEADERS it may be a credential.
      logger.warn(`ignoring a member of ${variable} without "key=" (${member.trim().length} characters)`);
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(member.slice(eq + 1).trim());
    } catch {
      logger.warn(`ignoring ${variable} member "${key}": its value is not valid percent-encoding`);
      continue;
    }
    out.set(key, decoded);
  }
  return out;
}
