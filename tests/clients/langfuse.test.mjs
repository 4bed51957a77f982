// The official `langfuse` v3 npm package against a live HotDash dashboard (its Langfuse-compatible /api/public/*),
// started by the xunit test LangfuseNpmClientTests over an in-process silo with the trace pipeline.
// Run: node --test tests/clients/langfuse.test.mjs
//
// Environment (HOTDASH_ names, so the gateway's client run, which clears HOTDASH_* settings, skips these tests):
//   HOTDASH_LANGFUSE_BASEURL      the dashboard, e.g. http://127.0.0.1:3000; unset: every test here is skipped
//   HOTDASH_LANGFUSE_PUBLIC_KEY   a project's pk-lf-... key
//   HOTDASH_LANGFUSE_SECRET_KEY   its sk-lf-... key
//   HOTDASH_LANGFUSE_PROJECT_ID   that project's id (default: default)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Langfuse } from 'langfuse';

const env = process.env;
const baseUrl = env.HOTDASH_LANGFUSE_BASEURL;
const publicKey = env.HOTDASH_LANGFUSE_PUBLIC_KEY;
const secretKey = env.HOTDASH_LANGFUSE_SECRET_KEY;
const projectId = env.HOTDASH_LANGFUSE_PROJECT_ID || 'default';
const skip = baseUrl ? false : 'HOTDASH_LANGFUSE_BASEURL is not set';

/** A client that sends only when told (flushAsync), and reports every failed request. */
function client() {
  const langfuse = new Langfuse({ publicKey, secretKey, baseUrl, flushAt: 1000, flushInterval: 600_000, requestTimeout: 15_000, fetchRetryCount: 0 });
  const errors = [];
  langfuse.on('error', (e) => errors.push(e));
  return { langfuse, errors };
}

/** Retries `read` until `done(result)` holds: the trace pipeline writes within its flush interval, not at once. */
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

test('trace, span, generation, event and score are stored and read back', { skip }, async () => {
  const { langfuse, errors } = client();
  const traceId = randomUUID();
  const sessionId = `node-session-${randomUUID()}`;
  const userId = `node-user-${randomUUID()}`;
  const started = new Date(Date.now() - 2_000);

  const trace = langfuse.trace({
    id: traceId,
    name: 'node-trace',
    userId,
    sessionId,
    tags: ['sdk', 'node'],
    metadata: { plan: 'pro', attempt: 2 },
    input: { question: 'what is HotDash?' },
    release: 'r-node',
    version: 'v-node',
    timestamp: started,
  });
  const span = trace.span({ name: 'retrieval', input: { query: 'hotdash' }, startTime: started });
  span.end({ output: { documents: 2 } });
  const generation = span.generation({
    name: 'answer',
    model: 'gpt-4o-mini',
    modelParameters: { temperature: 0.1 },
    input: [{ role: 'user', content: 'what is HotDash?' }],
    startTime: new Date(started.getTime() + 100),
    completionStartTime: new Date(started.getTime() + 300),
  });
  // update, not end(): end() stamps the end time with the clock, and the assertions below need a known one.
  generation.update({ output: { role: 'assistant', content: 'a gateway' }, usage: { input: 11, output: 22, total: 33 }, endTime: new Date(started.getTime() + 900) });
  trace.event({ name: 'clicked', input: { button: 'ok' } });
  langfuse.score({ traceId, name: 'helpfulness', value: 0.8, comment: 'nice' });
  // A later millisecond than the trace's create: events of one entity with the same envelope time are merged in
  // event-id order by the silo, not in batch order as Langfuse does.
  await new Promise((r) => setTimeout(r, 5));
  trace.update({ output: { answer: 'a gateway' } });
  await langfuse.flushAsync();
  assert.deepEqual(errors, []);

  const { data: stored } = await eventually(() => langfuse.fetchTrace(traceId),
    (r) => r.data.observations.length === 3 && r.data.scores.length === 1 && r.data.output !== null, 'the trace with 3 observations and a score');
  assert.equal(stored.id, traceId);
  assert.equal(stored.name, 'node-trace');
  assert.equal(stored.userId, userId);
  assert.equal(stored.sessionId, sessionId);
  assert.equal(stored.release, 'r-node');
  assert.equal(stored.version, 'v-node');
  assert.deepEqual([...stored.tags].sort(), ['node', 'sdk']);
  assert.deepEqual(stored.metadata, { plan: 'pro', attempt: 2 });
  assert.deepEqual(stored.input, { question: 'what is HotDash?' });
  assert.deepEqual(stored.output, { answer: 'a gateway' });
  assert.equal(stored.timestamp, started.toISOString());
  assert.equal(stored.htmlPath, `/project/${projectId}/traces/${traceId}`);
  assert.equal(typeof stored.latency, 'number');

  const byType = Object.fromEntries(stored.observations.map((o) => [o.type, o]));
  assert.deepEqual(Object.keys(byType).sort(), ['EVENT', 'GENERATION', 'SPAN']);
  assert.equal(byType.SPAN.name, 'retrieval');
  assert.deepEqual(byType.SPAN.output, { documents: 2 });
  const gen = byType.GENERATION;
  assert.equal(gen.name, 'answer');
  assert.equal(gen.parentObservationId, byType.SPAN.id);
  assert.equal(gen.model, 'gpt-4o-mini');
  assert.deepEqual(gen.modelParameters, { temperature: 0.1 });
  assert.deepEqual(gen.usage, { unit: 'TOKENS', input: 11, output: 22, total: 33 });
  assert.equal(gen.promptTokens, 11);
  assert.equal(gen.completionTokens, 22);
  assert.equal(gen.totalTokens, 33);
  assert.equal(gen.usageDetails.input, 11);
  assert.equal(gen.latency, 0.8);
  assert.equal(gen.timeToFirstToken, 0.2);
  assert.deepEqual(gen.output, { role: 'assistant', content: 'a gateway' });
  assert.equal(byType.EVENT.name, 'clicked');

  const score = stored.scores[0];
  assert.equal(score.name, 'helpfulness');
  assert.equal(score.value, 0.8);
  assert.equal(score.comment, 'nice');
  assert.equal(score.dataType, 'NUMERIC');
  assert.equal(score.traceId, traceId);

  const traces = await langfuse.fetchTraces({ userId, limit: 10 });
  assert.equal(traces.meta.totalItems, 1);
  assert.equal(traces.meta.page, 1);
  assert.equal(traces.meta.limit, 10);
  assert.equal(traces.meta.totalPages, 1);
  assert.equal(traces.data[0].id, traceId);
  assert.equal(traces.data[0].observations.length, 3);
  assert.equal(traces.data[0].scores.length, 1);

  const generations = await langfuse.fetchObservations({ traceId, type: 'GENERATION' });
  assert.equal(generations.meta.totalItems, 1);
  assert.equal(generations.data[0].id, gen.id);
  const single = await langfuse.fetchObservation(gen.id);
  assert.equal(single.data.model, 'gpt-4o-mini');

  const sessions = await langfuse.fetchSessions({ fromTimestamp: new Date(started.getTime() - 1_000), toTimestamp: new Date(started.getTime() + 1_000), limit: 100 });
  assert.ok(sessions.data.some((s) => s.id === sessionId), `session ${sessionId} not listed: ${JSON.stringify(sessions.data)}`);
  const session = await langfuse.api.sessionsGet(sessionId);
  assert.equal(session.traces.length, 1);
  assert.equal(session.traces[0].id, traceId);

  const scores = await langfuse.api.scoreV2Get({ traceId });
  assert.equal(scores.meta.totalItems, 1);
  assert.equal(scores.data[0].name, 'helpfulness');
  assert.equal(scores.data[0].trace.userId, userId);
  const byId = await langfuse.api.scoreV2GetById(score.id);
  assert.equal(byId.value, 0.8);

  await langfuse.shutdownAsync();
});

test('health and the key\'s project answer', { skip }, async () => {
  const { langfuse } = client();
  const health = await langfuse.api.healthHealth();
  assert.equal(health.status, 'OK');
  const projects = await langfuse.api.projectsGet();
  assert.equal(projects.data.length, 1);
  assert.equal(projects.data[0].id, projectId);
  await langfuse.shutdownAsync();
});

test('a wrong secret key is refused with Langfuse\'s 401', { skip }, async () => {
  // The SDK's fetch helpers log a refusal and hand back its body; the status is checked on the wire.
  const response = await fetch(`${baseUrl}/api/public/traces?limit=1`, {
    headers: { Authorization: `Basic ${Buffer.from(`${publicKey}:sk-lf-wrong`).toString('base64')}` },
  });
  assert.equal(response.status, 401);
  const body = await response.json();
  assert.equal(body.error, 'UnauthorizedError');
  assert.match(body.message, /^Invalid credentials/);
});
