// The test server's 2026 rules: the lineup and the "current models only" switch, thinking control,
// fixed sampling, replayed reasoning, max_tokens shared by reasoning and answer, partial mode, usage.
import * as assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '../server';
import { call, stream, textOf } from './server-support';

const CHAT = '/v1/chat/completions';
const ask = (text = 'echo:ok') => [{ role: 'user', content: text }];

describe('test server: 2026 models and thinking rules', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const chat = (body: Record<string, unknown>) => call(server, 'POST', CHAT, body);
  const expect400 = async (body: Record<string, unknown>, message: string | RegExp) => {
    const reply = await chat(body);
    assert.equal(reply.status, 400, JSON.stringify(body));
    assert.equal(reply.json.error.type, 'invalid_request_error');
    if (typeof message === 'string') assert.equal(reply.json.error.message, message);
    else assert.match(reply.json.error.message, message);
  };

  it('lists the 2026 lineup with context_length, supports_reasoning and supports_image_in', async () => {
    const list = await call(server, 'GET', '/v1/models');
    const byId = new Map(list.json.data.map((m: { id: string }) => [m.id, m]));
    assert.deepEqual(list.json.data.slice(0, 4).map((m: { id: string }) => m.id), ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6']);
    assert.deepEqual(byId.get('kimi-k3'), {
      id: 'kimi-k3', object: 'model', created: 1709149158, owned_by: 'moonshot', context_length: 1_048_576,
      supports_image_in: true, supports_video_in: false, supports_reasoning: true,
    });
    for (const id of ['kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6']) {
      assert.equal((byId.get(id) as { context_length: number }).context_length, 262_144, id);
      assert.equal((byId.get(id) as { supports_reasoning: boolean }).supports_reasoning, true, id);
    }
    assert.equal((byId.get('moonshot-v1-8k') as { supports_reasoning: boolean }).supports_reasoning, false);
    assert.ok(byId.has('kimi-k2.5') && byId.has('kimi-latest'));
  });

  it('lists only current models behind the switch; older ids then answer 404', async () => {
    const control = await fetch(`${server.url.replace(/\/v1$/, '')}/__mock/models`, { method: 'POST', body: JSON.stringify({ currentOnly: true }) });
    assert.equal(control.status, 200);
    const list = await call(server, 'GET', '/v1/models');
    assert.deepEqual(list.json.data.map((m: { id: string }) => m.id), ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6']);
    const retired = await chat({ model: 'kimi-k2.5', messages: ask() });
    assert.equal(retired.status, 404);
    assert.deepEqual(retired.json, { error: { message: 'Not found the model kimi-k2.5 or Permission denied', type: 'resource_not_found_error' } });
    assert.equal((await call(server, 'GET', '/v1/models/moonshot-v1-8k')).status, 404);
    assert.equal((await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'moonshot-v1-8k', messages: ask() })).status, 404);
    assert.equal((await chat({ model: 'kimi-k2.6', messages: ask() })).status, 200);
    server.reset();
    assert.ok((await call(server, 'GET', '/v1/models')).json.data.length > 4, 'reset restores the full list');
    const only = await startMockServer({ currentModelsOnly: true });
    try {
      assert.equal((await call(only, 'GET', '/v1/models')).json.data.length, 4);
    } finally {
      await only.close();
    }
  });

  it('streams reasoning before content for every thinking model, and returns it whole', async () => {
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6', 'kimi-k2-thinking']) {
      const result = await stream(server, { model, messages: ask('echo:ok') });
      const kinds = result.events.slice(1, -1).map((e) => (e.choices[0].delta.reasoning_content !== undefined ? 'r' : 'c'));
      assert.match(kinds.join(''), /^r+c+$/, model);
      assert.equal(textOf(result.events), 'ok');
      const whole = await chat({ model, messages: ask('echo:ok') });
      assert.equal(whole.json.choices[0].message.content, 'ok');
      assert.ok(whole.json.choices[0].message.reasoning_content.length > 0, model);
    }
    const plain = await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, messages: ask() });
    assert.equal(plain.json.choices[0].message.reasoning_content, undefined);
  });

  it('takes thinking or reasoning_effort only where the model does, never both', async () => {
    await expect400({ model: 'kimi-k2.6', thinking: { type: 'enabled' }, reasoning_effort: 'high', messages: ask() },
      "Invalid request: cannot specify both 'thinking' and 'reasoning_effort'");
    await expect400({ model: 'kimi-k3', thinking: { type: 'enabled' }, messages: ask() }, /kimi-k3 does not support the thinking parameter/);
    await expect400({ model: 'moonshot-v1-8k', thinking: { type: 'enabled' }, messages: ask() }, /does not support the thinking parameter/);
    await expect400({ model: 'kimi-k2-thinking', thinking: { type: 'enabled' }, messages: ask() }, /does not support the thinking parameter/);
    await expect400({ model: 'kimi-k2.7-code', thinking: { type: 'disabled' }, messages: ask() }, /thinking cannot be disabled/);
    await expect400({ model: 'kimi-k2.6', reasoning_effort: 'low', messages: ask() }, /does not support reasoning_effort/);
    await expect400({ model: 'kimi-k3', reasoning_effort: 'max', messages: ask() }, /low, medium or high/);
    assert.equal((await chat({ model: 'kimi-k3', reasoning_effort: 'low', messages: ask() })).status, 200);
    assert.equal((await chat({ model: 'kimi-k2.7-code', thinking: { type: 'enabled' }, messages: ask() })).status, 200);
    assert.equal((await chat({ model: 'kimi-k2.6', thinking: { type: 'enabled', keep: 'all' }, messages: ask() })).status, 200);
  });

  it('refuses sampling values other than the fixed ones', async () => {
    const only1 = 'invalid temperature: only 1 is allowed for this model';
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.6', 'kimi-k2.5', 'kimi-k2-thinking']) {
      await expect400({ model, temperature: 0.3, messages: ask() }, only1);
      assert.equal((await chat({ model, temperature: 1, messages: ask() })).status, 200, model);
    }
    await expect400({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, temperature: 1, messages: ask() },
      'invalid temperature: only 0.6 is allowed for this model');
    assert.equal((await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, temperature: 0.6, messages: ask() })).status, 200);
    await expect400({ model: 'kimi-k3', top_p: 0.9, messages: ask() }, 'invalid top_p: only 1 is allowed for this model');
    await expect400({ model: 'kimi-k3', presence_penalty: 0.5, messages: ask() }, 'invalid presence_penalty: only 0 is allowed for this model');
    assert.equal((await chat({ model: 'moonshot-v1-8k', temperature: 0.3, top_p: 0.9, messages: ask() })).status, 200);
  });

  it('requires replayed reasoning on every assistant message for kimi-k3 and kimi-k2.7-code', async () => {
    const history = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'echo:again' },
    ];
    for (const model of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
      await expect400({ model, messages: history }, 'thinking is enabled but reasoning_content is missing in assistant message at index 1');
      const replayed = history.map((m) => (m.role === 'assistant' ? { ...m, reasoning_content: 'A greeting.' } : m));
      assert.equal((await chat({ model, messages: replayed })).status, 200, model);
    }
    // Other thinking models need it only on tool-call messages (kimi-k2.6 also with keep:"all").
    assert.equal((await chat({ model: 'kimi-k2.6', messages: history })).status, 200);
    await expect400({ model: 'kimi-k2.6', thinking: { type: 'enabled', keep: 'all' }, messages: history }, /missing in assistant message at index 1/);
    const tools = [{ type: 'function', function: { name: 'lookup' } }];
    const toolHistory = [
      { role: 'user', content: 'Look' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'lookup:0', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'lookup:0', content: 'found' },
    ];
    for (const model of ['kimi-k2.6', 'kimi-k2-thinking', 'kimi-k2.5']) {
      await expect400({ model, tools, messages: toolHistory }, 'thinking is enabled but reasoning_content is missing in assistant tool call message at index 1');
    }
    assert.equal((await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, tools, messages: toolHistory })).status, 200);
    assert.equal((await chat({ model: 'moonshot-v1-8k', tools, messages: toolHistory })).status, 200);
  });

  it('counts reasoning against max_tokens and can stop mid-reasoning with no content', async () => {
    const cut = await chat({ model: 'kimi-k2.7-code', max_tokens: 3, messages: ask('echo:the answer') });
    const choice = cut.json.choices[0];
    assert.equal(choice.finish_reason, 'length');
    assert.equal(choice.message.content, '');
    assert.ok(choice.message.reasoning_content.length > 0);
    assert.equal(cut.json.usage.completion_tokens, cut.json.usage.completion_tokens_details.reasoning_tokens);
    const streamed = await stream(server, { model: 'kimi-k2.7-code', max_tokens: 3, messages: ask('echo:the answer') });
    assert.equal(textOf(streamed.events), '');
    assert.equal(streamed.events[streamed.events.length - 1].choices[0].finish_reason, 'length');
    const enough = await chat({ model: 'kimi-k2.7-code', max_tokens: 100, messages: ask('echo:the answer') });
    const usage = enough.json.usage;
    assert.equal(enough.json.choices[0].finish_reason, 'stop');
    assert.ok(usage.completion_tokens_details.reasoning_tokens > 0);
    assert.ok(usage.completion_tokens > usage.completion_tokens_details.reasoning_tokens);
  });

  it('continues a partial answer without repeating it, and without new reasoning', async () => {
    const question = { role: 'user', content: 'echo:one two three four five six' };
    const full = await chat({ model: 'kimi-k2.7-code', messages: [question] });
    const budget = full.json.usage.completion_tokens_details.reasoning_tokens + 3;
    const first = await chat({ model: 'kimi-k2.7-code', max_tokens: budget, messages: [question] });
    const { content, reasoning_content: reasoning } = first.json.choices[0].message;
    assert.equal(first.json.choices[0].finish_reason, 'length');
    assert.ok(content.length > 0 && content.length < 'one two three four five six'.length, content);
    const next = await chat({ model: 'kimi-k2.7-code', messages: [question, { role: 'assistant', content, reasoning_content: reasoning, partial: true }] });
    assert.equal(next.status, 200);
    assert.equal(content + next.json.choices[0].message.content, 'one two three four five six');
    assert.equal(next.json.choices[0].message.reasoning_content, undefined);
    await expect400({ model: 'kimi-k2.7-code', messages: [{ role: 'assistant', content: 'x', partial: true }, question] }, /partial is only allowed on the last assistant message/);
  });

  it('reports automatic prefix-cache hits for kimi models in the OpenAI spelling', async () => {
    const one = [{ role: 'user', content: 'echo:first question with some words in it' }];
    const a = await chat({ model: 'kimi-k2.6', messages: one });
    assert.equal(a.json.usage.prompt_tokens_details, undefined);
    const reply = a.json.choices[0].message;
    const two = [...one, { role: 'assistant', content: reply.content }, { role: 'user', content: 'echo:second' }];
    const b = await chat({ model: 'kimi-k2.6', messages: two });
    assert.ok(b.json.usage.prompt_tokens_details.cached_tokens > 0);
    assert.equal(b.json.usage.cached_tokens, undefined);
    assert.ok(b.json.usage.prompt_tokens_details.cached_tokens < b.json.usage.prompt_tokens);
  });

  it('rejects empty messages in chat and in the token estimate; kimi-k3 cannot be estimated', async () => {
    const empty = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '' }, { role: 'user', content: 'x' }];
    await expect400({ model: 'kimi-k2.6', messages: empty }, "Invalid request: the message at position 1 with role 'assistant' must not be empty");
    const estimate = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'moonshot-v1-8k', messages: [{ role: 'user', content: '' }] });
    assert.equal(estimate.status, 400);
    assert.equal(estimate.json.error.message, "Invalid request: the message at position 0 with role 'user' must not be empty");
    const k3 = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'kimi-k3', messages: ask() });
    assert.equal(k3.status, 400);
    assert.match(k3.json.error.message, /kimi-k3 is not supported for token estimation/);
    const k27 = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'kimi-k2.7-code', messages: ask() });
    assert.equal(k27.status, 200);
  });
});
