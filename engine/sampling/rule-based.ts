// Per-span rules: the first rule whose conditions all match picks the sampler; no match falls
// back. Conditions are compiled once: a name or route pattern is an exact string or a prefix
// ending in `*` (compared with startsWith; no regex runs per span).

import type { TraceContext } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { Sampler } from './sampler.js';
import type { SamplingResult } from './sampling-result.js';

/** A compiled rule. */
export interface CompiledRule {
  /** Exact name, or prefix when `namePrefix` is true; null = any name. */
  readonly name: string | null;
  readonly namePrefix: boolean;
  readonly route: string | null;
  readonly routePrefix: boolean;
  /** -1 = any kind. */
  readonly kind: SpanKind | -1;
  /** Attribute keys and the primitive values they must equal. */
  readonly attributeKeys: readonly string[];
  readonly attributeValues: readonly (string | number | boolean)[];
  readonly sampler: Sampler;
}

function matchesPattern(value: unknown, pattern: string, prefix: boolean): boolean {
  if (typeof value !== 'string') return false;
  return prefix ? value.startsWith(pattern) : value === pattern;
}

/**
 * The route is the `http.route` start attribute when present, else the part of an HTTP server
 * span name `{METHOD} {route}` after the space (the Nest layer names spans that way and sets
 * attributes only once a span is known to record). Compared in place: nothing is sliced.
 */
function matchesRoute(rule: CompiledRule, name: string, attributes: Attributes | undefined): boolean {
  const route = rule.route!;
  const attr = attributes === undefined ? undefined : attributes['http.route'];
  if (attr !== undefined) return matchesPattern(attr, route, rule.routePrefix);
  const space = name.indexOf(' ');
  if (space < 0 || name.charCodeAt(space + 1) !== 0x2f /* / */) return false;
  const start = space + 1;
  if (!name.startsWith(route, start)) return false;
  return rule.routePrefix || name.length - start === route.length;
}

function matches(rule: CompiledRule, name: string, kind: SpanKind, attributes: Attributes | undefined): boolean {
  if (rule.kind !== -1 && rule.kind !== kind) return false;
  if (rule.name !== null && !matchesPattern(name, rule.name, rule.namePrefix)) return false;
  if (rule.route !== null && !matchesRoute(rule, name, attributes)) return false;
  const keys = rule.attributeKeys;
  for (let i = 0; i < keys.length; i++) {
    if (attributes === undefined || attributes[keys[i]!] !== rule.attributeValues[i]) return false;
  }
  return true;
}

export class RuleBasedSampler implements Sampler {
  readonly rules: readonly CompiledRule[];
  readonly fallback: Sampler;

  constructor(rules: readonly CompiledRule[], fallback: Sampler) {
    this.rules = rules;
    this.fallback = fallback;
  }

  shouldSample(
    parent: TraceContext | null,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
  ): SamplingResult {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (matches(rule, name, kind, attributes)) return rule.sampler.shouldSample(parent, traceId, name, kind, attributes);
    }
    return this.fallback.shouldSample(parent, traceId, name, kind, attributes);
  }

  toString(): string {
    const rules = this.rules.map((r) => {
      const when: string[] = [];
      if (r.name !== null) when.push(`name=${r.name}${r.namePrefix ? '*' : ''}`);
      if (r.route !== null) when.push(`route=${r.route}${r.routePrefix ? '*' : ''}`);
      if (r.kind !== -1) when.push(`kind=${r.kind}`);
      for (let i = 0; i < r.attributeKeys.length; i++) when.push(`${r.attributeKeys[i]}=${String(r.attributeValues[i])}`);
      return `[${when.join(',')}]->${r.sampler}`;
    });
    return `RuleBased{${rules.join(', ')}, fallback=${this.fallback}}`;
  }
}
