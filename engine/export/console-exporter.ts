// One readable line per span, for development:
//   <service> <trace id> <span id> <- <parent|root> SERVER "GET /users/:id" 12.345 ms OK {http.method=GET …}
// Written with one stream write per batch. Every piece of span text goes through
// escapeControl, so a value holding a newline or an ANSI escape cannot forge a line or
// rewrite the terminal.

import type { SpanData } from '../spans/span-data.js';
import { outcome, type SendOutcome, type SpanExporter } from './span-exporter.js';
import { escapeControl } from '../config/escape-control.js';

const KIND = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS = ['UNSET', 'OK', 'ERROR'] as const;

export interface ConsoleExporterConfig {
  type: 'console';
}

interface LineWriter {
  write(chunk: string): unknown;
}

function formatSpanLine(span: SpanData, serviceName: string): string {
  let attributes = '';
  for (let i = 0; i < span.attributeCount; i++) {
    const value = span.attributeValues[i]!;
    attributes += `${i > 0 ? ' ' : ''}${escapeControl(span.attributeKeys[i]!)}=${escapeControl(typeof value === 'string' ? value : JSON.stringify(value))}`;
  }
  const status = STATUS[span.statusCode] ?? 'UNSET';
  return (
    `${serviceName} ${span.traceId} ${span.spanId} <- ${span.parentSpanId === '' ? 'root' : span.parentSpanId} ` +
    `${KIND[span.kind] ?? 'INTERNAL'} ${escapeControl(JSON.stringify(span.name))} ${(span.endTime - span.startTime).toFixed(3)} ms ` +
    `${status}${span.statusMessage === '' ? '' : ` ${escapeControl(JSON.stringify(span.statusMessage))}`}` +
    `${span.eventCount > 0 ? ` events=${span.eventCount}` : ''} {${attributes}}`
  );
}

export class ConsoleSpanExporter implements SpanExporter<string> {
  readonly name = 'console';
  private readonly serviceName: string;
  private readonly out: LineWriter;

  constructor(serviceName: string, out: LineWriter = process.stdout) {
    this.serviceName = escapeControl(serviceName);
    this.out = out;
  }

  serialize(spans: readonly SpanData[], count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += formatSpanLine(spans[i]!, this.serviceName) + '\n';
    return text;
  }

  send(payload: string, count: number): Promise<SendOutcome> {
    try {
      this.out.write(payload);
      return Promise.resolve(outcome(count, 0, 0, 0, null));
    } catch (error) {
      return Promise.resolve(outcome(0, 0, count, 0, error as Error));
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
