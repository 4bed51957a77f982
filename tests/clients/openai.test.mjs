// The official `openai` npm package against a live HotDash gateway (started by the xunit test
// OpenAiNpmClientTests with OPENAI_BASE_URL and OPENAI_API_KEY set). Run: node --test tests/clients/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.OPENAI_BASE_URL;
const apiKey = process.env.OPENAI_API_KEY;
const chatModel = process.env.HOTDASH_CHAT_MODEL ?? 'mock-chat';
const embeddingModel = process.env.HOTDASH_EMBEDDING_MODEL ?? 'mock-embedding';

assert.ok(baseURL, 'OPENAI_BASE_URL must point at the gateway, e.g. http://127.0.0.1:4000/v1');
assert.ok(apiKey, 'OPENAI_API_KEY must be the gateway key');

// No retries: each test sees the gateway's first answer. A bounded timeout: a hang fails, it never blocks.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

test('chat completion returns the mock reply with usage', async () => {
  const completion = await client.chat.completions.create({
    model: chatModel,
    messages: [{ role: 'user', content: 'hello from node' }],
  });

  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, chatModel);
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.match(completion.choices[0].message.content, /You said: hello from node$/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('chat completion with .withResponse() exposes the LiteLLM headers', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: chatModel, messages: [{ role: 'user', content: 'headers' }] })
    .withResponse();

  assert.equal(data.object, 'chat.completion');
  assert.match(response.headers.get('x-litellm-call-id') ?? '', /^[0-9a-f-]{36}$/);
  assert.ok(response.headers.get('x-litellm-model-id'));
  assert.ok(Number(response.headers.get('x-litellm-response-duration-ms')) >= 0);
});

test('streamed chat with include_usage ends with a usage chunk', async () => {
  const stream = await client.chat.completions.create({
    model: chatModel,
    messages: [{ role: 'user', content: 'stream it' }],
    stream: true,
    stream_options: { include_usage: true },
  });

  let text = '';
  let usage = null;
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
  }

  assert.ok(chunks > 3, `expected several chunks, got ${chunks}`);
  assert.match(text, /You said: stream it$/);
  assert.equal(finish, 'stop');
  assert.ok(usage, 'the last chunk carries usage');
  assert.ok(usage.completion_tokens > 0);
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
});

test('streamed chat can be aborted by the client', async () => {
  const stream = await client.chat.completions.create({
    model: chatModel,
    messages: [{ role: 'user', content: 'abort me' }],
    stream: true,
  });
  for await (const _ of stream) {
    stream.controller.abort();
    break;
  }
  // The gateway still answers afterwards.
  const again = await client.chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'again' }] });
  assert.match(again.choices[0].message.content, /again$/);
});

test('embeddings (base64 by default in the npm client) decode to unit vectors', async () => {
  const result = await client.embeddings.create({ model: embeddingModel, input: ['first text', 'second text'] });

  assert.equal(result.object, 'list');
  assert.equal(result.data.length, 2);
  for (const [i, item] of result.data.entries()) {
    assert.equal(item.index, i);
    assert.ok(Array.isArray(item.embedding), 'the client decodes base64 into an array of numbers');
    assert.equal(item.embedding.length, 1536);
    const norm = Math.sqrt(item.embedding.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  }
  assert.notDeepEqual(result.data[0].embedding, result.data[1].embedding);
  assert.ok(result.usage.prompt_tokens > 0);
});

test('embeddings with encoding_format float and dimensions', async () => {
  const result = await client.embeddings.create({ model: embeddingModel, input: 'x', encoding_format: 'float', dimensions: 32 });

  assert.equal(result.data[0].embedding.length, 32);
});

test('models list names the configured models', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    ids.push(model.id);
  }

  assert.deepEqual(ids, ['mock-chat', 'mock-embedding']);
  const one = await client.models.retrieve(chatModel);
  assert.equal(one.id, chatModel);
});

test('unknown model surfaces as openai.APIError with status 400', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (err) => {
      assert.ok(err instanceof OpenAI.APIError, `expected APIError, got ${err}`);
      assert.ok(err instanceof OpenAI.BadRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.type, 'invalid_request_error');
      assert.equal(err.param, 'model');
      assert.match(err.message, /no-such-model/);
      return true;
    },
  );
});

test('wrong key surfaces as openai.AuthenticationError with status 401', async () => {
  const wrong = new OpenAI({ baseURL, apiKey: 'sk-wrong', maxRetries: 0, timeout: 20_000 });

  await assert.rejects(wrong.models.list(), (err) => {
    assert.ok(err instanceof OpenAI.AuthenticationError, `expected AuthenticationError, got ${err}`);
    assert.equal(err.status, 401);
    return true;
  });
});

test('malformed request surfaces as APIError 400 with the OpenAI error shape', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: chatModel, messages: [] }),
    (err) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, 400);
      assert.equal(err.error?.code, '400');
      assert.equal(err.param, 'messages');
      return true;
    },
  );
});
