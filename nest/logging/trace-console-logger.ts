// Nest's own ConsoleLogger in JSON mode, with the active span's ids on every line:
// `app.useLogger(new TraceConsoleLogger({ json: true }))`. Nest builds each JSON line in
// getJsonLogObject, synchronously inside the logging call, so the context read there is the
// caller's (inside an `@Span` method, that span's id). Non-JSON output is left as Nest writes it.

import { ConsoleLogger, type ConsoleLoggerOptions } from '@nestjs/common';
import { createTraceMixin, type TraceMixin, type TraceMixinOptions } from '../../engine/index.js';

export interface TraceConsoleLoggerOptions extends ConsoleLoggerOptions {
  /** Field names and baggage keys of the trace fields (as for createTraceMixin). Default: trace_id, span_id, trace_flags, request_id. */
  traceFields?: TraceMixinOptions;
}

type JsonLogOptions = Parameters<ConsoleLogger['getJsonLogObject']>[1];
type JsonLogObject = ReturnType<ConsoleLogger['getJsonLogObject']>;

export class TraceConsoleLogger extends ConsoleLogger {
  private readonly traceFields: TraceMixin;

  constructor();
  constructor(context: string);
  constructor(options: TraceConsoleLoggerOptions);
  constructor(context: string, options: TraceConsoleLoggerOptions);
  constructor(contextOrOptions?: string | TraceConsoleLoggerOptions, maybeOptions?: TraceConsoleLoggerOptions) {
    const options = typeof contextOrOptions === 'object' ? contextOrOptions : maybeOptions;
    const { traceFields, ...consoleOptions } = options ?? {};
    if (typeof contextOrOptions === 'string') super(contextOrOptions, consoleOptions);
    else super(consoleOptions);
    // Validated at construction: a bad field name fails where the logger is made.
    this.traceFields = createTraceMixin(traceFields);
  }

  protected override getJsonLogObject(message: unknown, options: JsonLogOptions): JsonLogObject {
    const line = super.getJsonLogObject(message, options);
    const fields = this.traceFields();
    for (const key in fields) if (!(key in line)) line[key] = fields[key];
    return line;
  }
}
