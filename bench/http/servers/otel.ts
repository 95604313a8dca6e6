// Scenarios `otel-100`, `otel-1pct` (and `otel-http-100`): the OpenTelemetry JS NodeSDK as its
// getting-started guide sets it up for a Fastify service: instrumentation-http plus
// @fastify/otel (registered on every Fastify instance at creation, which is how it reaches the
// instance Nest's FastifyAdapter builds), a BatchSpanProcessor with its defaults and the OTLP
// protobuf exporter pointed at the bench sink.
//
// Sampler: TraceIdRatioBasedSampler (root ratio, not parent-based): every request carries a
// sampled traceparent, and a parent-based sampler would keep all of them whatever the ratio.
// The SDK is started before the app is imported, so instrumentation-http's require hook sees
// Fastify load `node:http`. `otel-express-100` (BENCH_PLATFORM=express, BENCH_OTEL_EXPRESS=1) is
// the Express setup of the same guide: instrumentation-http plus instrumentation-express, which
// patches Express when it is next required (done right after the SDK starts).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import FastifyOtel from '@fastify/otel';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { createRequire } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { serveScenario } from './ipc.js';

serveScenario(async () => {
  const ratio = Number(process.env.BENCH_SAMPLE_RATIO ?? '1');
  const url = process.env.BENCH_SINK_URL;
  if (url === undefined) throw new Error('BENCH_SINK_URL is not set');
  const instrumentations: Instrumentation[] = [new HttpInstrumentation()];
  const express = process.env.BENCH_OTEL_EXPRESS === '1';
  if (express) instrumentations.push(new ExpressInstrumentation());
  else if (process.env.BENCH_OTEL_FASTIFY !== '0') {
    instrumentations.push(new FastifyOtel.FastifyOtelInstrumentation({ registerOnInitialization: true }) as unknown as Instrumentation);
  }
  const sdk = new NodeSDK({
    serviceName: 'bench-orders',
    sampler: new TraceIdRatioBasedSampler(ratio),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
    instrumentations,
  });
  sdk.start();
  if (express) createRequire(import.meta.url)('express');
  const { startNestScenario } = await import('./nest-app.js');
  return startNestScenario({
    readTraceId: () => trace.getActiveSpan()?.spanContext().traceId ?? null,
    // sdk.shutdown() flushes the BatchSpanProcessor, so every span reaches the sink.
    afterClose: () => sdk.shutdown(),
  });
});
