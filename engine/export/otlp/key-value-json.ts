// OTLP/JSON KeyValue text (common.proto KeyValue / AnyValue under the JSON mapping: intValue as
// a decimal string, doubleValue as a number or "NaN"/"Infinity"/"-Infinity", arrays as
// arrayValue.values) with a cache per attribute key.
//
// Keys repeat across spans (the same dozen semantic-convention names on every server span) and
// so do most values (method, route, scheme, host, port, status code, user agent). Each key has
// one memo holding its quoted prefix, made once, and the whole KeyValue fragment for the last
// value seen under it: a repeated value costs a Map lookup and a string comparison instead of
// a scan and four concatenations, and a one-off value (a path, a request id) replaces it. The
// memo keeps only the last value, so the cache is bounded by the number of keys.

import type { AttributeValue } from '../../spans/span-data.js';
import { flatten, isPlainAscii, jsonQuote } from './json-text.js';

/** Receives "this text is not pure ASCII" (the serializer then copies it out as UTF-8). */
export interface AsciiFlag {
  ascii: boolean;
}

/** AnyValue as JSON; sets `flag.ascii = false` when a string in it is not plain ASCII. */
export function anyValueJson(value: AttributeValue | null | undefined, flag: AsciiFlag): string {
  switch (typeof value) {
    case 'string': {
      const plain = isPlainAscii(value);
      if (!plain) flag.ascii = false;
      return '{"stringValue":' + jsonQuote(value, plain) + '}';
    }
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'number':
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
        return '{"intValue":"' + (Number.isSafeInteger(value) ? String(value) : BigInt(value).toString()) + '"}';
      }
      if (Number.isFinite(value)) return '{"doubleValue":' + String(value) + '}';
      // JSON has no NaN/Infinity; the proto3 JSON mapping spells them as strings.
      return Number.isNaN(value) ? '{"doubleValue":"NaN"}' : value > 0 ? '{"doubleValue":"Infinity"}' : '{"doubleValue":"-Infinity"}';
    case 'object': {
      if (value === null) return '{}';
      let out = '{"arrayValue":{"values":[';
      for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + anyValueJson(value[i], flag);
      return out + ']}}';
    }
    default:
      return '{}';
  }
}

class KeyMemo {
  /** `{"key":"…","value":` and the same after a comma, flattened. */
  readonly first: string;
  readonly rest: string;
  /** The same followed by `{"stringValue":"`: a new plain string value is then one piece plus its closing. */
  readonly firstString: string;
  readonly restString: string;
  readonly keyAscii: boolean;
  /** The last primitive value written under this key (undefined: none, or an array). */
  value: string | number | boolean | undefined;
  valueAscii: boolean;
  /** Fragments for `value` as the first KeyValue of a list and after a comma ('' until made). */
  firstFragment: string;
  restFragment: string;
  /** Whether a fragment was flattened: done on its first reuse, as most never are reused. */
  firstFlat: boolean;
  restFlat: boolean;

  constructor(key: string) {
    this.keyAscii = isPlainAscii(key);
    this.first = flatten('{"key":' + jsonQuote(key, this.keyAscii) + ',"value":');
    this.rest = flatten(',' + this.first);
    this.firstString = flatten(this.first + '{"stringValue":"');
    this.restString = flatten(this.rest + '{"stringValue":"');
    this.value = undefined;
    this.valueAscii = true;
    this.firstFragment = '';
    this.restFragment = '';
    this.firstFlat = false;
    this.restFlat = false;
  }
}

/** Tracer-made keys are few; a set that grows past this (keys built from data) stops being cached. */
const MAX_KEYS = 1024;

export class KeyValueJson {
  private readonly memos: Map<string, KeyMemo>;

  constructor() {
    this.memos = new Map();
  }

  /**
   * `{"key":…,"value":…}` (with a leading comma unless `first`). Hot path: once per attribute
   * of every exported span. Sets `flag.ascii = false` when the text is not pure ASCII.
   */
  fragment(key: string, value: AttributeValue, first: boolean, flag: AsciiFlag): string {
    let m = this.memos.get(key);
    if (m === undefined) {
      m = new KeyMemo(key);
      if (this.memos.size < MAX_KEYS) this.memos.set(key, m);
    }
    if (value === m.value) {
      if (!m.valueAscii || !m.keyAscii) flag.ascii = false;
      if (first) {
        if (m.firstFragment !== '') {
          if (!m.firstFlat) {
            flatten(m.firstFragment);
            m.firstFlat = true;
          }
          return m.firstFragment;
        }
      } else if (m.restFragment !== '') {
        if (!m.restFlat) {
          flatten(m.restFragment);
          m.restFlat = true;
        }
        return m.restFragment;
      }
    } else if (typeof value === 'object') {
      // Arrays are never memoized: the same array object may have been changed in place.
      if (!m.keyAscii) flag.ascii = false;
      return (first ? m.first : m.rest) + anyValueJson(value, flag) + '}';
    } else {
      m.value = value;
      m.firstFragment = '';
      m.restFragment = '';
      m.firstFlat = false;
      m.restFlat = false;
      m.valueAscii = typeof value !== 'string' || isPlainAscii(value);
      if (!m.valueAscii || !m.keyAscii) flag.ascii = false;
    }
    let text: string;
    if (typeof value === 'string' && m.valueAscii) text = (first ? m.firstString : m.restString) + value + '"}}';
    else text = (first ? m.first : m.rest) + anyValueJson(value, flag) + '}';
    if (first) m.firstFragment = text;
    else m.restFragment = text;
    return text;
  }
}
