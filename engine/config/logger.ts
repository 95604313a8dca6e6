// Where the library reports trouble it does not throw for: a bad OTEL_* variable (ignored with a
// warning, as the OpenTelemetry configuration spec asks) and export failures, which happen off
// the request path, so a log line is the only channel back to the user. The default is
// console.warn with a prefix; tests or apps pass their own (the Nest module passes its Logger).

export interface ExportLogger {
  warn(message: string): void;
}

export const consoleLogger: ExportLogger = {
  warn(message: string): void {
    console.warn(`[nestjs-trace-context] ${message}`);
  },
};
