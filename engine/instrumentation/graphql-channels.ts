// GraphQL spans from the TracingChannels graphql-js 17 publishes. Checked against graphql
// 17.1.0 (`diagnostics.js`, `language/parser.js`, `validation/validate.js`,
// `execution/execute.js`, `execution/Executor.js`):
//
// | channel           | published by       | message                                                  |
// | graphql:parse     | traceSync          | source                                                   |
// | graphql:validate  | traceSync          | schema, document; result = the validation errors         |
// | graphql:execute   | traceMixed         | schema, document, rawVariableValues, operationName and   |
// | graphql:subscribe |                    | operationType (getters, resolved on first read)          |
// | graphql:resolve   | traceMixed         | fieldName, alias, parentType, fieldType, args,           |
// |                   |                    | isDefaultResolver, fieldPath (getter)                    |
//
// traceMixed publishes `end` with the result when the call returns a plain value and
// `asyncStart`/`asyncEnd` only for a promise (`syncResults`). Execute and resolve are bound
// (`nest`): resolvers run inside execute, so their spans, and a database call a resolver makes,
// are children of the operation. The resolve channel is subscribed only with `resolvers: true`:
// once it has a subscriber graphql-js wraps every field's resolver, default ones included.
// Spans are INTERNAL (OpenTelemetry GraphQL conventions).

import { SpanKind, SpanStatusCode } from '../spans/span-data.js';
import { startCallSpan, type TracedMessage } from './channel-span.js';
import { subscribeCallChannel } from './call-channel.js';
import type { GraphqlConfig } from './library-options.js';
import type { OutboundSpan, OutboundTracer } from './outbound-config.js';

interface OperationCall extends TracedMessage {
  readonly operationName?: unknown;
  readonly operationType?: unknown;
}

interface ResolveCall extends TracedMessage {
  readonly fieldName?: unknown;
  readonly parentType?: unknown;
  readonly fieldType?: unknown;
  readonly isDefaultResolver?: unknown;
  readonly fieldPath?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function operationSpan(tracer: OutboundTracer, message: OperationCall): OutboundSpan {
  const name = text(message.operationName);
  const type = text(message.operationType);
  // OpenTelemetry: `{graphql.operation.type} {graphql.operation.name}`, the type alone for an
  // anonymous operation, `GraphQL Operation` when even the type is unknown (no such operation).
  const spanName = type === undefined ? 'GraphQL Operation' : name === undefined ? type : type + ' ' + name;
  return startCallSpan(tracer, message, spanName, SpanKind.INTERNAL, {
    'graphql.operation.name': name,
    'graphql.operation.type': type,
  });
}

/** GraphQL errors (a field error, a missing operation, a validation rule) mark the span failed. */
function failWithErrors(span: OutboundSpan, errors: unknown): void {
  if (!Array.isArray(errors) || errors.length === 0) return;
  const first = errors[0] as { message?: unknown } | null;
  span.setAttribute('error.type', 'GraphQLError');
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof first?.message === 'string' ? first.message : 'GraphQL error' });
}

/** An execution result carries its errors in `errors`. */
function readErrors(span: OutboundSpan, message: TracedMessage): void {
  failWithErrors(span, (message.result as { errors?: unknown } | null | undefined)?.errors);
}

/** Validation returns its errors as the result. */
function readValidation(span: OutboundSpan, message: TracedMessage): void {
  failWithErrors(span, message.result);
}

/** graphql 17+: parse, validate, execute and subscribe; resolvers with `resolvers: true`. Returns the unsubscriber. */
export function instrumentGraphql(tracer: OutboundTracer, config: GraphqlConfig): () => void {
  const operation = (message: OperationCall): OutboundSpan => operationSpan(tracer, message);
  const undo = [
    subscribeCallChannel<TracedMessage>('graphql:parse', {
      begin: (message) => startCallSpan(tracer, message, 'graphql.parse', SpanKind.INTERNAL, {}),
      syncResults: true,
    }),
    subscribeCallChannel<TracedMessage>('graphql:validate', {
      begin: (message) => startCallSpan(tracer, message, 'graphql.validate', SpanKind.INTERNAL, {}),
      syncResults: true,
      onResult: readValidation,
    }),
    subscribeCallChannel<OperationCall>('graphql:execute', { begin: operation, nest: true, syncResults: true, onResult: readErrors }),
    subscribeCallChannel<OperationCall>('graphql:subscribe', { begin: operation, nest: true, syncResults: true, onResult: readErrors }),
  ];
  if (config.resolvers) {
    undo.push(
      subscribeCallChannel<ResolveCall>('graphql:resolve', {
        begin(message) {
          // Default resolvers only read a property: a span each would bury the ones that work.
          if (message.isDefaultResolver === true) return null;
          const path = text(message.fieldPath);
          return startCallSpan(tracer, message, path === undefined ? 'graphql.resolve' : 'graphql.resolve ' + path, SpanKind.INTERNAL, {
            'graphql.field.name': text(message.fieldName),
            'graphql.field.path': path,
            'graphql.field.type': text(message.fieldType),
            'graphql.parent.type': text(message.parentType),
          });
        },
        nest: true,
        syncResults: true,
      }),
    );
  }
  return () => {
    for (const u of undo) u();
  };
}
