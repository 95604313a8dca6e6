// Request ids: validation of inbound ids and cheap generation of new ones.
//
// An inbound id is accepted only if it is 1..128 characters of [A-Za-z0-9._:-]. Anything else
// (empty, too long, control characters, CRLF, spaces, an array from a repeated header) is
// replaced by a generated id, so a client can never inject text into our logs or response
// headers (STYLE.md: "an incoming x-request-id echoed back without a length and charset check").

import { bytesToHex } from './hex.js';
import { randomBytesPool, takeRandom } from './random-pool.js';

const MAX_REQUEST_ID_LENGTH = 128;

/** 1 for each char code allowed in a request id: A-Z a-z 0-9 . _ : - */
const ALLOWED: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 1;
  for (let c = 97; c <= 122; c++) t[c] = 1;
  t[46] = 1; // .
  t[95] = 1; // _
  t[58] = 1; // :
  t[45] = 1; // -
  return t;
})();

/** Whether `value` is an acceptable inbound request id (a string, 1..128 chars of [A-Za-z0-9._:-]). */
export function isValidRequestId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const n = value.length;
  if (n === 0 || n > MAX_REQUEST_ID_LENGTH) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || ALLOWED[c] === 0) return false;
  }
  return true;
}

/** Makes a new request id. */
export type RequestIdGenerator = () => string;

/**
 * Prefix + counter ids (hyperid's scheme): a random 8-hex-digit prefix, then a decimal counter.
 * Unique within the process, and across processes with overwhelming probability. The counter
 * stays a small integer (SMI); when it reaches 2^31-1 a new prefix is drawn.
 * Chosen as the default after bench/micro/ids.bench.ts: cheapest of the candidates, since it
 * concatenates one cached string and one integer.
 */
export function createCounterRequestIdGenerator(): RequestIdGenerator {
  let prefix = newPrefix();
  let counter = 0;
  return function nextCounterRequestId(): string {
    if (counter === 0x7fffffff) {
      prefix = newPrefix();
      counter = 0;
    }
    return prefix + counter++;
  };
}

function newPrefix(): string {
  const at = takeRandom(4);
  return bytesToHex(randomBytesPool(), at, 4) + '-';
}

/** 16 random hex digits per id from the pooled CSPRNG buffer: unguessable, slightly dearer. */
export function createRandomRequestIdGenerator(): RequestIdGenerator {
  return function nextRandomRequestId(): string {
    const at = takeRandom(8);
    return bytesToHex(randomBytesPool(), at, 8);
  };
}

/**
 * The id for a request: the inbound header value when valid, otherwise a new one.
 * `inbound` is Node's header value (string, string[] for repeated headers, or undefined);
 * a repeated header is never trusted.
 */
export function resolveRequestId(inbound: string | string[] | undefined, generate: RequestIdGenerator): string {
  return isValidRequestId(inbound) ? inbound : generate();
}
