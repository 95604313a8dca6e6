// Attribute value checks and truncation, per the OpenTelemetry data model: a value is a
// string, boolean or number, or a homogeneous array of one of those where null/undefined
// entries are allowed. Anything else is dropped (not stored, not counted), as OTel JS does.

import type { AttributeValue, Attributes } from './span-data.js';

function isHomogeneousArray(value: readonly unknown[]): boolean {
  let type: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === null || v === undefined) continue;
    const t = typeof v;
    if (type === undefined) {
      if (t !== 'string' && t !== 'number' && t !== 'boolean') return false;
      type = t;
    } else if (t !== type) return false;
  }
  return true;
}

/** Whether `value` is a valid attribute value. Hot path: primitives return on the first test. */
export function isAttributeValue(value: unknown): value is AttributeValue {
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  return Array.isArray(value) && isHomogeneousArray(value);
}

/** `value` with strings cut to `limit` characters (a new array when any element is cut). */
export function truncateValue(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (!Array.isArray(value)) return value;
  let cut = false;
  for (const v of value) if (typeof v === 'string' && v.length > limit) cut = true;
  if (!cut) return value;
  return value.map((v: unknown) => (typeof v === 'string' && v.length > limit ? v.slice(0, limit) : v)) as AttributeValue;
}

/** An attribute holder of an event or a link. */
export interface AttributeTarget {
  attributes: Attributes | null;
  droppedAttributesCount: number;
}

/**
 * Copies valid attributes of `source` into a new object on `target` (events and links own
 * their attributes: later changes to the caller's object must not reach the export), keeping
 * at most `countLimit` and counting the rest as dropped.
 */
export function copyAttributes(target: AttributeTarget, source: Attributes | undefined, countLimit: number, lengthLimit: number): void {
  target.droppedAttributesCount = 0;
  if (source === undefined || source === null || typeof source !== 'object') {
    target.attributes = null;
    return;
  }
  const out: Attributes = {};
  let n = 0;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const value = source[key];
    if (key.length === 0 || !isAttributeValue(value)) continue;
    if (n >= countLimit) {
      target.droppedAttributesCount++;
      continue;
    }
    out[key] = lengthLimit === Infinity ? value : truncateValue(value, lengthLimit);
    n++;
  }
  target.attributes = n === 0 ? null : out;
}
