// The resource every exported span carries (resource/sdk.md): service.name, telemetry.sdk.*,
// OTEL_RESOURCE_ATTRIBUTES, and the user's attributes. Built once per pipeline and encoded
// once per exporter.
// Precedence (sdk-environment-variables.md): OTEL_SERVICE_NAME wins over a service.name in
// OTEL_RESOURCE_ATTRIBUTES; options in code win over both.

import { readFileSync } from 'node:fs';
import { invalidOption } from '../errors.js';
import type { AttributeValue, Attributes } from '../spans/span-data.js';
import { envString, parseKeyValueList, type Env } from '../config/env.js';
import type { ExportLogger } from '../config/logger.js';
import { optionPath } from '../config/option-checks.js';

export interface Resource {
  /** Insertion-ordered attributes with defined values only. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly droppedAttributesCount: number;
}

export const SDK_NAME = 'nestjs-trace-context';

/** This package's version, read once from its package.json (shipped in every install). */
export const SDK_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
    return pkg.name === SDK_NAME && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

function isAttributeValue(value: unknown): value is AttributeValue {
  const t = typeof value;
  if (t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(value as number))) return true;
  if (!Array.isArray(value)) return false;
  let kind: string | undefined;
  for (const item of value) {
    if (item === null || item === undefined) continue;
    const k = typeof item;
    if (k !== 'string' && k !== 'number' && k !== 'boolean') return false;
    if (kind !== undefined && k !== kind) return false;
    kind = k;
  }
  return true;
}

/** `path`: where serviceName and resource sit in the caller's options, for error messages ('' = top level). */
export function buildResource(
  serviceName: string | undefined,
  attributes: Attributes | undefined,
  env: Env,
  logger: ExportLogger,
  path = '',
): Resource {
  if (serviceName !== undefined && (typeof serviceName !== 'string' || serviceName === '')) {
    throw invalidOption(optionPath(path, 'serviceName'), serviceName, 'a non-empty string');
  }
  const resourcePath = optionPath(path, 'resource');
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))) {
    throw invalidOption(resourcePath, attributes, 'an object of attribute values');
  }
  const out: Record<string, AttributeValue> = {
    'service.name': `unknown_service:${process.argv0 || 'node'}`,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': SDK_NAME,
    'telemetry.sdk.version': SDK_VERSION,
  };
  const fromEnv = envString(env, 'OTEL_RESOURCE_ATTRIBUTES');
  if (fromEnv !== undefined) {
    for (const [key, value] of parseKeyValueList(fromEnv, 'OTEL_RESOURCE_ATTRIBUTES', logger)) out[key] = value;
  }
  const envService = envString(env, 'OTEL_SERVICE_NAME');
  if (envService !== undefined) out['service.name'] = envService;
  if (attributes !== undefined) {
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value === undefined) continue;
      if (!isAttributeValue(value)) {
        throw invalidOption(`${resourcePath}.${key}`, value, 'a string, finite number, boolean or a homogeneous array of them');
      }
      out[key] = value;
    }
  }
  if (serviceName !== undefined) out['service.name'] = serviceName;
  return Object.freeze({ attributes: Object.freeze(out), droppedAttributesCount: 0 });
}
