// GraphQL 17 operations inside a request become INTERNAL spans from graphql-js's own
// TracingChannels (`graphql:parse`, `graphql:validate`, `graphql:execute`, and
// `graphql:resolve` when asked for), in a real Nest + Fastify app over real HTTP.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Body, Controller, Post } from '@nestjs/common';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { SpanKind, SpanStatusCode, startActiveSpan } from '../../../nest/index.js';
import { getFinishedSpans, waitForFinishedSpans } from '../../../nest/testing/index.js';
import { request } from '../helpers.js';
import { named, SAMPLED, startLibraryApp, traceSpans, UNSAMPLED } from './library-app.js';

const User = new GraphQLObjectType({
  name: 'User',
  fields: { id: { type: GraphQLString }, name: { type: GraphQLString } },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      user: {
        type: User,
        args: { id: { type: GraphQLString } },
        // a span the resolver starts itself: it must land under the operation (or resolver) span
        resolve: (_source, args: { id?: string }) =>
          startActiveSpan('load-user', async () => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            return { id: args.id, name: 'Ada' };
          }),
      },
      boom: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('boom');
        },
      },
    },
  }),
});

@Controller()
class GraphqlController {
  @Post('graphql')
  run(@Body() body: { query: string; variables?: Record<string, unknown>; operationName?: string }): Promise<unknown> {
    return graphql({ schema, source: body.query, variableValues: body.variables, operationName: body.operationName });
  }
}

function post(origin: string, traceparent: string, query: string, variables?: Record<string, unknown>) {
  return request(origin, '/graphql', {
    method: 'POST',
    headers: { traceparent, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
}

const GET_USER = 'query GetUser($id: String) { user(id: $id) { id name } }';

test('an operation is an INTERNAL span "query GetUser" under the server span, with parse and validate beside it', async (t) => {
  const app = await startLibraryApp([GraphqlController], []);
  t.after(() => app.close());
  const reply = await post(app.origin, SAMPLED, GET_USER, { id: '7' });
  assert.deepEqual(reply.json(), { data: { user: { id: '7', name: 'Ada' } } });
  const { server, spans } = await traceSpans();
  const operation = named(spans, 'query GetUser');
  assert.equal(operation.kind, SpanKind.INTERNAL);
  assert.equal(operation.parentSpanId, server.spanId);
  assert.deepEqual({ ...operation.attributes }, { 'graphql.operation.name': 'GetUser', 'graphql.operation.type': 'query' });
  assert.equal(operation.status.code, SpanStatusCode.UNSET);
  for (const name of ['graphql.parse', 'graphql.validate']) {
    const span = named(spans, name);
    assert.equal(span.kind, SpanKind.INTERNAL);
    assert.equal(span.parentSpanId, server.spanId);
  }
  assert.equal(named(spans, 'load-user').parentSpanId, operation.spanId, 'work in a resolver is a child of the operation');
  assert.equal(spans.filter((s) => s.name.startsWith('graphql.resolve')).length, 0, 'no resolver spans by default');
  assert.ok(operation.endTime >= named(spans, 'load-user').endTime, 'the operation ends after its async resolver');
});

test('resolvers: true adds a span per schema resolver (not per default resolver), parent of the work it does', async (t) => {
  const app = await startLibraryApp([GraphqlController], [], { instrumentations: { graphql: { resolvers: true } } });
  t.after(() => app.close());
  await post(app.origin, SAMPLED, GET_USER, { id: '7' });
  const { spans } = await traceSpans();
  const operation = named(spans, 'query GetUser');
  const resolver = named(spans, 'graphql.resolve user');
  assert.equal(resolver.parentSpanId, operation.spanId);
  assert.deepEqual({ ...resolver.attributes }, {
    'graphql.field.name': 'user',
    'graphql.field.path': 'user',
    'graphql.field.type': 'User',
    'graphql.parent.type': 'Query',
  });
  assert.equal(named(spans, 'load-user').parentSpanId, resolver.spanId);
  assert.deepEqual(spans.filter((s) => s.name.startsWith('graphql.resolve')).map((s) => s.name), ['graphql.resolve user']);
});

test('a resolver error marks the operation span ERROR; a validation error marks the validate span', async (t) => {
  const app = await startLibraryApp([GraphqlController], []);
  t.after(() => app.close());
  const reply = await post(app.origin, SAMPLED, '{ boom }');
  assert.equal(reply.json().errors[0].message, 'boom');
  const { spans } = await traceSpans();
  const operation = named(spans, 'query');
  assert.equal(operation.status.code, SpanStatusCode.ERROR);
  assert.equal(operation.status.message, 'boom');
  assert.equal(operation.attributes['error.type'], 'GraphQLError');

  const bad = await post(app.origin, SAMPLED, '{ nope }');
  assert.match(bad.json().errors[0].message, /nope/);
  const validate = await waitForFinishedSpans(1, { filter: (s) => s.name === 'graphql.validate' && s.status.code === SpanStatusCode.ERROR });
  assert.equal(validate.length, 1);
  assert.match(validate[0]!.status.message, /nope/);
});

test('an unsampled request records no GraphQL span', async (t) => {
  const app = await startLibraryApp([GraphqlController], [], { instrumentations: { graphql: { resolvers: true } } });
  t.after(() => app.close());
  const reply = await post(app.origin, UNSAMPLED, GET_USER, { id: '1' });
  assert.equal(reply.json().data.user.name, 'Ada');
  await post(app.origin, SAMPLED, '{ boom }');
  await traceSpans();
  assert.deepEqual(
    getFinishedSpans().map((s) => s.name).sort(),
    ['POST /graphql', 'graphql.parse', 'graphql.resolve boom', 'graphql.validate', 'query'],
    'only the sampled request\'s spans',
  );
});

test('a bad tracing.instrumentations fails startup naming the option path', async () => {
  await assert.rejects(startLibraryApp([GraphqlController], [], { instrumentations: { graphql: { resolvers: 'yes' } } } as never), {
    code: 'ERR_INVALID_OPTION',
    message: /tracing\.instrumentations\.graphql\.resolvers.*"yes"/,
  });
  await assert.rejects(startLibraryApp([GraphqlController], [], { instrumentations: { mysql2: { dbStatement: 'full' } } } as never), {
    code: 'ERR_INVALID_OPTION',
    message: /tracing\.instrumentations\.mysql2\.dbStatement.*"sanitized", "raw" or "off"/,
  });
  await assert.rejects(startLibraryApp([GraphqlController], [], { instrumentations: { pg: true } } as never), {
    code: 'ERR_INVALID_OPTION',
    message: /tracing\.instrumentations\.pg.*ioredis, redis, mysql2, graphql/,
  });
});
