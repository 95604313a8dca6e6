// The load generator: autocannon in this (the runner's) process, pinned to the CPU the server
// does not use. One `GET /orders/<n>` per request, each with its own traceparent
// (setupRequest makes autocannon rebuild the request every time: requestIterator.js).
// Nothing is retried: errors, timeouts and non-2xx answers are returned and fail the run.
import { createRequire } from 'node:module';
import { nextTraceparent } from './traceparent-source.js';

interface Histogram {
  readonly average: number;
  readonly p50: number;
  readonly p99: number;
  /** On `requests`: every request written, answered or still in flight when the run stopped. */
  readonly sent?: number;
}

interface AutocannonResult {
  readonly requests: Histogram;
  readonly latency: Histogram;
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadSettings {
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  /** Completed responses (2xx and not). */
  readonly requests: number;
  /** Requests written, including those in flight at the end (the server still handles them). */
  readonly sent: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

export async function runLoad(port: number, settings: LoadSettings): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: settings.connections,
    pipelining: 1,
    duration: settings.durationS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: AutocannonRequest) => {
          request.path = `/orders/${(n = (n + 1) & 0xffff)}`;
          request.headers = { traceparent: nextTraceparent() };
          return request;
        },
      },
    ],
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    sent: Math.max(result.requests.sent ?? requests, requests),
    durationS: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
