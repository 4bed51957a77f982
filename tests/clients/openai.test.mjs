// The official `openai` npm package against a live HotDash gateway, started by the xunit tests
// OpenAiNpmClientTests (built-in mock models) and OpenAiNpmClientUpstreamTests (openai/... deployments on a
// fake upstream). Run: node --test tests/clients/
//
// Environment (the defaults are the gateway's built-in mock models):
//   OPENAI_BASE_URL, OPENAI_API_KEY   the gateway (http://127.0.0.1:PORT/v1) and its master key; required
//   HOTDASH_CHAT_MODEL                chat model (mock-chat)
//   HOTDASH_COMPLETION_MODEL          /v1/completions model (the chat model)
//   HOTDASH_EMBEDDING_MODEL           embedding model (mock-embedding)
//   HOTDASH_MODELS                    comma-separated ids /v1/models must list, in order (mock-chat,mock-embedding)
//   HOTDASH_CHAT_ANSWER_MODEL         the `model` chat answers name (the requested one; a proxied upstream names its own)
//   HOTDASH_COMPLETION_ANSWER_MODEL   the same for completions
//   HOTDASH_REPLY                     the fixed text of every chat and completion answer (unset: the mock's echo of the prompt)
//   HOTDASH_EMBEDDING_DIMENSIONS      length of a default embedding (1536)
//   HOTDASH_EMBEDDING_VECTORS         JSON array of the vectors expected for two inputs (unset: distinct unit vectors, as the mock's)
//   HOTDASH_EMBEDDING_FIXED_DIMENSIONS=1  the upstream ignores `dimensions` (unset: it is honoured)
//   HOTDASH_RATE_LIMITED_MODEL        a model whose upstream answers 429 (unset: that test is skipped)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const env = process.env;
const baseURL = env.OPENAI_BASE_URL;
const apiKey = env.OPENAI_API_KEY;
const chatModel = env.HOTDASH_CHAT_MODEL || 'mock-chat';
const completionModel = env.HOTDASH_COMPLETION_MODEL || chatModel;
const embeddingModel = env.HOTDASH_EMBEDDING_MODEL || 'mock-embedding';
const modelIds = (env.HOTDASH_MODELS || 'mock-chat,mock-embedding').split(',');
const chatAnswerModel = env.HOTDASH_CHAT_ANSWER_MODEL || chatModel;
const completionAnswerModel = env.HOTDASH_COMPLETION_ANSWER_MODEL || completionModel;
const fixedReply = env.HOTDASH_REPLY || null;
const embeddingDimensions = Number(env.HOTDASH_EMBEDDING_DIMENSIONS || 1536);
const embeddingVectors = env.HOTDASH_EMBEDDING_VECTORS ? JSON.parse(env.HOTDASH_EMBEDDING_VECTORS) : null;
const dimensionsHonoured = env.HOTDASH_EMBEDDING_FIXED_DIMENSIONS !== '1';
const rateLimitedModel = env.HOTDASH_RATE_LIMITED_MODEL || null;

assert.ok(baseURL, 'OPENAI_BASE_URL must point at the gateway, e.g. http://127.0.0.1:4000/v1');
assert.ok(apiKey, 'OPENAI_API_KEY must be the gateway key');

/** The answer to `prompt`: the fixed upstream reply, or the mock's echo ("... You said: PROMPT" / "... for: PROMPT"). */
function assertReply(text, prompt, echoPrefix) {
  if (fixedReply !== null) {
    assert.equal(text, fixedReply);
  } else {
    assert.ok(text.endsWith(`${echoPrefix}${prompt}`), `expected the mock's echo of ${JSON.stringify(prompt)}, got ${JSON.stringify(text)}`);
  }
}

const assertChatReply = (text, prompt) => assertReply(text, prompt, 'You said: ');
const assertCompletionReply = (text, prompt) => assertReply(text, prompt, 'for: ');

// No retries: each test sees the gateway's first answer. A bounded timeout: a hang fails, it never blocks.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

test('chat completion returns the reply with usage', async () => {
  const completion = await client.chat.completions.create({
    model: chatModel,
    messages: [{ role: 'user', content: 'hello from node' }],
  });

  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, chatAnswerModel);
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].message.role, 'assistant');
  assertChatReply(completion.choices[0].message.content, 'hello from node');
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
  assertChatReply(text, 'stream it');
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
  assertChatReply(again.choices[0].message.content, 'again');
});

test('text completion returns the reply with usage', async () => {
  const completion = await client.completions.create({ model: completionModel, prompt: 'Say hi', max_tokens: 50 });

  assert.equal(completion.object, 'text_completion');
  assert.equal(completion.model, completionAnswerModel);
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].index, 0);
  assertCompletionReply(completion.choices[0].text, 'Say hi');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.ok(completion.usage.completion_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
});

test('streamed text completion gives the same text and finishes with stop', async () => {
  const stream = await client.completions.create({ model: completionModel, prompt: 'Stream hi', stream: true });

  let text = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, 'text_completion');
    assert.equal(chunk.model, completionAnswerModel);
    for (const choice of chunk.choices) {
      text += choice.text ?? '';
      finish = choice.finish_reason ?? finish;
    }
  }

  assert.ok(chunks > 1, `expected several chunks, got ${chunks}`);
  assertCompletionReply(text, 'Stream hi');
  assert.equal(finish, 'stop');
});

test('embeddings (base64 by default in the npm client) decode to the expected vectors', async () => {
  const result = await client.embeddings.create({ model: embeddingModel, input: ['first text', 'second text'] });

  assert.equal(result.object, 'list');
  assert.equal(result.data.length, 2);
  for (const [i, item] of result.data.entries()) {
    assert.equal(item.index, i);
    assert.ok(Array.isArray(item.embedding), 'the client decodes base64 into an array of numbers');
    assert.equal(item.embedding.length, embeddingDimensions);
    if (embeddingVectors) {
      assertVector(item.embedding, embeddingVectors[i]);
    } else {
      const norm = Math.sqrt(item.embedding.reduce((s, x) => s + x * x, 0));
      assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
    }
  }
  assert.notDeepEqual(result.data[0].embedding, result.data[1].embedding);
  assert.ok(result.usage.prompt_tokens > 0);
});

test('embeddings with encoding_format float and dimensions', async () => {
  const result = await client.embeddings.create({ model: embeddingModel, input: 'x', encoding_format: 'float', dimensions: 32 });

  assert.equal(result.data[0].embedding.length, dimensionsHonoured ? 32 : embeddingDimensions);
  if (embeddingVectors) {
    assertVector(result.data[0].embedding, embeddingVectors[0]);
  }
});

// float32 on the wire (base64) or its shortest decimal (JSON): equal to well within float32 precision.
function assertVector(actual, expected) {
  assert.equal(actual.length, expected.length);
  for (const [j, x] of actual.entries()) {
    assert.ok(Math.abs(x - expected[j]) < 1e-6, `component ${j}: ${x}, expected ${expected[j]}`);
  }
}

test('models list names the configured models', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    ids.push(model.id);
  }

  assert.deepEqual(ids, modelIds);
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

test('upstream 429 surfaces as openai.RateLimitError with the upstream error', { skip: rateLimitedModel === null && 'HOTDASH_RATE_LIMITED_MODEL is not set' }, async () => {
  await assert.rejects(
    client.chat.completions.create({ model: rateLimitedModel, messages: [{ role: 'user', content: 'x' }] }),
    (err) => {
      assert.ok(err instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${err}`);
      assert.equal(err.status, 429);
      assert.equal(err.type, 'rate_limit_error');
      assert.ok(err.message.length > 4, 'the upstream message is passed on');
      assert.match(err.headers?.get('x-litellm-call-id') ?? '', /^[0-9a-f-]{36}$/);
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
