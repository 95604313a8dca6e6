// Where the library reports trouble it does not throw for: a bad OTEL_* variable (ignored with a
// warning, as the OpenTelemetry configuration spec asks) and export failures, which happen off
// the request path, so a log line is the only channel back to the user. The default is
// console.warn with a prefix; tests or apps pass their own (the Nest module passes its Logger).

import { escapeControl } from './escape-control.js';

export interface ExportLogger {
  warn(message: string): void;
}

export const consoleLogger: ExportLogger = {
  warn(message: string): void {
    // Messages quote env values, collector replies and error text: one line each, no escapes.
    console.warn(`[nestjs-trace-context] ${escapeControl(message)}`);
  },
};
