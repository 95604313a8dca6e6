// Where the export pipeline reports trouble. Exporting happens off the request path, so the
// only channel back to the user is a log line; the default is console.warn with a prefix,
// and tests or apps pass their own (the Nest module passes its Logger).

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
