// A real Nest 12 + Fastify app with RequestContextModule exporting to memory, for the library
// span tests: the test gives the controllers and the providers (its clients), and reads the
// spans of one trace back.

import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { RequestContextModule, SpanKind, type TracingOptions } from '../../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans, type FinishedSpan } from '../../../nest/testing/index.js';
import { startApp, type StartedApp } from '../helpers.js';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
export const UNSAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-00`;

export async function startLibraryApp(
  controllers: Type<unknown>[],
  providers: Provider[],
  tracing: TracingOptions = {},
): Promise<StartedApp> {
  @Module({})
  class LibraryApp {}
  const module: DynamicModule = {
    module: LibraryApp,
    imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }], ...tracing } })],
    controllers,
    providers,
  };
  resetFinishedSpans();
  return startApp(module);
}

/** Waits for the server span of the request, then returns every span of the trace. */
export async function traceSpans(): Promise<{ server: FinishedSpan; spans: FinishedSpan[] }> {
  const [server] = await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  const spans = getFinishedSpans().filter((s) => s.traceId === server!.traceId);
  return { server: server!, spans };
}

export function named(spans: readonly FinishedSpan[], name: string): FinishedSpan {
  const span = spans.find((s) => s.name === name);
  if (span === undefined) throw new Error(`no span named ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}
