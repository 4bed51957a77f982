// OpenTelemetry into a live HotDash dashboard's /api/public/otel/v1/traces: Langfuse's own span processor
// (@langfuse/otel, OTLP/HTTP JSON) and the plain OTLP/protobuf exporter, read back with the `langfuse` client.
// Started by the xunit test LangfuseNpmClientTests. Same environment as langfuse.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Langfuse } from 'langfuse';

const env = process.env;
const baseUrl = env.HOTDASH_LANGFUSE_BASEURL;
const publicKey = env.HOTDASH_LANGFUSE_PUBLIC_KEY;
const secretKey = env.HOTDASH_LANGFUSE_SECRET_KEY;
const skip = baseUrl ? false : 'HOTDASH_LANGFUSE_BASEURL is not set';

async function eventually(read, done, what) {
  const deadline = Date.now() + 20_000;
  let last;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) assert.fail(`${what} not seen within 20 s; last: ${last instanceof Error ? last.stack : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a span exported by LangfuseSpanProcessor lands as a generation', { skip }, async () => {
  const processor = new LangfuseSpanProcessor({ publicKey, secretKey, baseUrl, exportMode: 'immediate', timeout: 15 });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('hotdash-otel-test');
  const userId = `otel-user-${randomUUID()}`;
  let traceId;
  let spanId;
  await tracer.startActiveSpan('otel-generation', {
    attributes: {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'otel-model',
      'langfuse.observation.usage_details': JSON.stringify({ input: 4, output: 6, total: 10 }),
      'langfuse.observation.input': JSON.stringify([{ role: 'user', content: 'hi' }]),
      'langfuse.trace.name': 'otel-trace',
      'user.id': userId,
      'gen_ai.request.model': 'otel-model',
    },
  }, async (span) => {
    traceId = span.spanContext().traceId;
    spanId = span.spanContext().spanId;
    span.end();
  });
  await provider.forceFlush();
  await provider.shutdown();

  const langfuse = new Langfuse({ publicKey, secretKey, baseUrl, fetchRetryCount: 0 });
  const observations = await eventually(() => langfuse.fetchObservations({ traceId }), (r) => r.data.length === 1, 'the exported span');
  const generation = observations.data[0];
  assert.equal(generation.id, spanId);
  assert.equal(generation.traceId, traceId);
  assert.equal(generation.type, 'GENERATION');
  assert.equal(generation.model, 'otel-model');
  assert.equal(generation.usage.input, 4);
  assert.equal(generation.usage.output, 6);
  assert.equal(generation.usage.total, 10);
  const { data: trace } = await eventually(() => langfuse.fetchTrace(traceId), (r) => r.data.name === 'otel-trace', 'the span\'s trace');
  assert.equal(trace.userId, userId);
  await langfuse.shutdownAsync();
});

test('an OTLP/protobuf export is accepted and stored', { skip }, async () => {
  const exporter = new ProtoExporter({
    url: `${baseUrl}/api/public/otel/v1/traces`,
    headers: { Authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}` },
    timeoutMillis: 15_000,
  });
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('hotdash-otel-proto-test');
  const span = tracer.startSpan('proto-span', { attributes: { 'langfuse.observation.type': 'span' } });
  const { traceId, spanId } = span.spanContext();
  span.end();
  await provider.forceFlush();
  await provider.shutdown();

  const langfuse = new Langfuse({ publicKey, secretKey, baseUrl, fetchRetryCount: 0 });
  const { data: observation } = await eventually(() => langfuse.fetchObservation(spanId), (r) => r.data?.id === spanId, 'the protobuf span');
  assert.equal(observation.traceId, traceId);
  assert.equal(observation.name, 'proto-span');
  await langfuse.shutdownAsync();
});
