// The console exporter and the warning logger write one line per span or message, whatever the
// text holds: newlines, ANSI escapes and other control characters in span names, attribute
// keys and values, status messages, the service name or a warning come out as visible escapes,
// so an attribute cannot forge a span line or rewrite the terminal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSpanExporter } from '../../../engine/export/console-exporter.js';
import { escapeControl } from '../../../engine/config/escape-control.js';
import { consoleLogger } from '../../../engine/config/logger.js';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { Tracer } from '../../../engine/spans/tracer.js';

// Any C0 control but the line-ending \n, DEL, C1 controls, U+2028/2029.
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/;

test('a hostile attribute, name, status message or service name cannot add a line or an escape sequence', async () => {
  let written = '';
  const exporter = new ConsoleSpanExporter('svc\nfake', { write: (chunk: string) => (written += chunk) });
  const pipeline = createExportPipeline({ exporters: [{ type: 'custom', exporter }], batch: { scheduledDelayMillis: 60_000 } }, {});
  const tracer = new Tracer({ processor: pipeline.processor });
  const forged = 'x}\nsvc 0af7651916cd43dd8448eb211c80319c b7ad6b7169203331 <- root SERVER "GET /admin" 1.000 ms OK {user=admin';
  const span = tracer.startSpan('GET /\x1b[2Jorders', {
    kind: 1,
    attributes: { note: forged, 'key\rwith\u2028breaks': ['a\nb'], bell: '\x07\x9b31m\x7f' },
  });
  span.setStatus({ code: 2, message: 'failed\r\nsvc forged line' });
  span.end();
  await pipeline.shutdown();
  const lines = written.split('\n');
  assert.equal(lines.length, 2, `one line and the final newline: ${JSON.stringify(written)}`);
  assert.equal(lines[1], '');
  assert.ok(!CONTROL.test(written), JSON.stringify(written));
  const line = lines[0]!;
  assert.ok(line.startsWith('svc\\nfake '), line);
  assert.ok(line.includes('"GET /\\u001b[2Jorders"'), line);
  assert.ok(line.includes('note=x}\\nsvc 0af7651916cd43dd8448eb211c80319c'), line);
  assert.ok(line.includes('key\\rwith\\u2028breaks=["a\\nb"]'), line);
  assert.ok(line.includes('bell=\\x07\\x9b31m\\x7f'), line);
  assert.ok(line.includes('ERROR "failed\\r\\nsvc forged line"'), line);
});

test('the default warning logger escapes control characters too', (t) => {
  const calls = t.mock.method(console, 'warn', () => undefined);
  consoleLogger.warn('ignoring X="a\nb\x1b[31m"');
  assert.equal(calls.mock.callCount(), 1);
  assert.equal(calls.mock.calls[0]!.arguments[0], '[nestjs-trace-context] ignoring X="a\\nb\\x1b[31m"');
});

test('escapeControl returns plain text as is and escapes every control range', () => {
  const plain = 'GET /orders/:id ünïcödé ✓';
  assert.equal(escapeControl(plain), plain);
  assert.equal(escapeControl('\0\t\u0085\u2029'), '\\x00\\t\\x85\\u2029');
});
