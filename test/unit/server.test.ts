// The test server's core routes: auth, unknown routes, models, chat (whole and streamed), tokens, balance.
import * as assert from 'node:assert/strict';
import { answerFor, estimateTokens, startMockServer, type MockServer } from '../server';
import { call, eventually, KEY, sleep, stream, textOf } from './server-support';

describe('test server: core routes', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('binds to 127.0.0.1 on an ephemeral port and reports a /v1 base URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}/v1`);
  });

  it('answers every response with Msh-Request-Id and a JSON content type', async () => {
    const ok = await call(server, 'GET', '/v1/models');
    const bad = await call(server, 'GET', '/v1/models', undefined, { Authorization: 'Bearer nope' });
    const missing = await call(server, 'GET', '/v1/nothing');
    for (const reply of [ok, bad, missing]) {
      assert.match(reply.headers.get('msh-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(reply.headers.get('content-type'), 'application/json; charset=utf-8');
    }
    assert.notEqual(ok.headers.get('msh-request-id'), bad.headers.get('msh-request-id'));
  });

  it('rejects a missing or wrong key with the platform 401 body', async () => {
    const expected = { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } };
    const wrong = await call(server, 'GET', '/v1/models', undefined, { Authorization: 'Bearer sk-wrong' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, expected);
    const res = await fetch(`${server.url}/models`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), expected);
  });

  it('accepts only the configured keys', async () => {
    const other = await startMockServer({ apiKeys: ['sk-one', 'sk-two'] });
    try {
      const get = (key: string) => fetch(`${other.url}/models`, { headers: { Authorization: `Bearer ${key}` } });
      assert.equal((await get('sk-one')).status, 200);
      assert.equal((await get('sk-two')).status, 200);
      assert.equal((await get(KEY)).status, 401);
    } finally {
      await other.close();
    }
  });

  it('answers unknown routes and wrong methods with the url.not_found shape', async () => {
    const wrongMethod = await call(server, 'GET', '/v1/chat/completions');
    assert.equal(wrongMethod.status, 404);
    assert.deepEqual(wrongMethod.json, {
      code: 5,
      error: 'url.not_found',
      message: '没找到对象',
      method: 'GET',
      scode: '0x5',
      status: false,
      ua: 'node',
      url: '/v1/chat/completions',
    });
    const unknown = await call(server, 'DELETE', '/v1', undefined, { Authorization: '' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error, 'url.not_found');
    assert.equal(unknown.json.method, 'DELETE');
  });

  it('lists the models with context lengths and serves one by id', async () => {
    const list = await call(server, 'GET', '/v1/models');
    assert.equal(list.status, 200);
    assert.equal(list.json.object, 'list');
    const ids = list.json.data.map((m: { id: string }) => m.id);
    for (const id of ['moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k', 'moonshot-v1-auto',
      'moonshot-v1-8k-vision-preview', 'kimi-k2.5', 'kimi-k2-turbo-preview', 'kimi-k2-thinking']) {
      assert.ok(ids.includes(id), id);
    }
    const k25 = list.json.data.find((m: { id: string }) => m.id === 'kimi-k2.5');
    assert.equal(k25.context_length, 262144);
    assert.equal(k25.object, 'model');
    assert.equal(k25.owned_by, 'moonshot');
    const one = await call(server, 'GET', '/v1/models/moonshot-v1-32k');
    assert.equal(one.json.id, 'moonshot-v1-32k');
    assert.equal(one.json.context_length, 32768);
    const missing = await call(server, 'GET', '/v1/models/kimi-thinking-preview');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, {
      error: { message: 'Not found the model kimi-thinking-preview or Permission denied', type: 'resource_not_found_error' },
    });
  });

  it('answers a whole chat deterministically with usage', async () => {
    const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is a closure?' }];
    const reply = await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', messages });
    assert.equal(reply.status, 200);
    assert.match(reply.json.id, /^cmpl-[0-9a-f]{32}$/);
    assert.equal(reply.json.object, 'chat.completion');
    assert.equal(reply.json.model, 'kimi-k2.5');
    const choice = reply.json.choices[0];
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, answerFor(messages as never));
    assert.match(choice.message.content, /^## /);
    assert.match(choice.message.content, /\n- /);
    assert.match(choice.message.content, /```text\nWhat is a closure\?\n```/);
    assert.equal(choice.finish_reason, 'stop');
    const usage = reply.json.usage;
    assert.equal(usage.prompt_tokens, estimateTokens(messages as never));
    assert.ok(usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal(usage.cached_tokens, undefined);
  });

  it('echoes the rest of an echo: message verbatim', async () => {
    const text = 'héllo 你好 🎉\n```js\nx()\n```';
    const reply = await call(server, 'POST', '/v1/chat/completions', {
      model: 'moonshot-v1-8k', messages: [{ role: 'user', content: [{ type: 'text', text: `echo:${text}` }] }],
    });
    assert.equal(reply.json.choices[0].message.content, text);
  });

  it('quotes a question containing backticks in a longer fence', () => {
    const answer = answerFor([{ role: 'user', content: 'why does ```x``` fail?' }]);
    assert.match(answer, /````text\nwhy does ```x``` fail\?\n````/);
  });

  it('streams small deltas: role first only, usage on the finishing chunk, then [DONE]', async () => {
    const messages = [{ role: 'user', content: 'Explain streams please' }];
    const result = await stream(server, { model: 'kimi-k2.5', messages });
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'text/event-stream');
    assert.ok(result.headers.get('msh-request-id'));
    assert.equal(result.done, true);
    assert.ok(result.raw.endsWith('data: [DONE]\n\n'));
    const [first, ...rest] = result.events;
    assert.deepEqual(first.choices[0].delta, { role: 'assistant', content: '' });
    assert.ok(rest.every((e) => e.choices[0].delta.role === undefined));
    assert.equal(textOf(result.events), answerFor(messages as never));
    const deltas = rest.map((e) => e.choices[0].delta.content).filter((c) => c !== undefined);
    assert.ok(deltas.length > 20, `only ${deltas.length} deltas`);
    assert.ok(deltas.every((d: string) => d.length <= 40), 'deltas are word-sized');
    const last = result.events[result.events.length - 1];
    assert.equal(last.choices[0].finish_reason, 'stop');
    assert.deepEqual(last.choices[0].delta, {});
    assert.equal(last.choices[0].usage.prompt_tokens, estimateTokens(messages as never));
    assert.equal(last.usage, undefined);
    assert.ok(result.events.slice(0, -1).every((e) => e.choices[0].usage === undefined && e.choices[0].finish_reason === null));
    assert.ok(result.events.every((e) => e.id === first.id && e.object === 'chat.completion.chunk'));
  });

  it('adds a top-level usage chunk with no choices only when include_usage is asked for', async () => {
    const result = await stream(server, {
      model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true },
    });
    const trailer = result.events[result.events.length - 1];
    assert.deepEqual(trailer.choices, []);
    const finishing = result.events[result.events.length - 2];
    assert.deepEqual(trailer.usage, finishing.choices[0].usage);
    assert.equal(result.done, true);
  });

  it('streams reasoning_content before content for a thinking model', async () => {
    const result = await stream(server, { model: 'kimi-k2-thinking', messages: [{ role: 'user', content: 'echo:ok' }] });
    const kinds = result.events.slice(1, -1).map((e) => (e.choices[0].delta.reasoning_content !== undefined ? 'r' : 'c'));
    assert.match(kinds.join(''), /^r+c+$/);
    assert.equal(textOf(result.events), 'ok');
    const whole = await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', thinking: { type: 'enabled' }, messages: [{ role: 'user', content: 'echo:ok' }] });
    assert.ok(whole.json.choices[0].message.reasoning_content.length > 0);
    // kimi-k2.5 thinks by default; thinking disabled gives a plain answer.
    const byDefault = await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'echo:ok' }] });
    assert.ok(byDefault.json.choices[0].message.reasoning_content.length > 0);
    const plain = await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'echo:ok' }] });
    assert.equal(plain.json.choices[0].message.reasoning_content, undefined);
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const messages = [{ role: 'user', content: 'echo:one two three four five six seven eight nine ten eleven twelve' }];
    const whole = await call(server, 'POST', '/v1/chat/completions', { model: 'moonshot-v1-8k', max_tokens: 5, messages });
    assert.equal(whole.json.choices[0].finish_reason, 'length');
    assert.ok(whole.json.usage.completion_tokens <= 5);
    assert.ok('one two three four five six seven eight nine ten eleven twelve'.startsWith(whole.json.choices[0].message.content));
    const streamed = await stream(server, { model: 'moonshot-v1-8k', max_tokens: 5, messages });
    assert.equal(textOf(streamed.events), whole.json.choices[0].message.content);
    assert.equal(streamed.events[streamed.events.length - 1].choices[0].finish_reason, 'length');
  });

  it('rejects bad chat requests with the platform errors', async () => {
    const chat = (body: unknown) => call(server, 'POST', '/v1/chat/completions', body);
    const unknown = await chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.type, 'resource_not_found_error');
    assert.equal(unknown.json.error.message, 'Not found the model gpt-4o or Permission denied');

    for (const messages of [undefined, []]) {
      const empty = await chat({ model: 'kimi-k2.5', messages });
      assert.equal(empty.status, 400);
      assert.equal(empty.json.error.type, 'invalid_request_error');
    }
    const blank = await chat({ model: 'kimi-k2.5', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }] });
    assert.equal(blank.status, 400);
    assert.equal(blank.json.error.message, "Invalid request: the message at position 1 with role 'assistant' must not be empty");
    const objectContent = await chat({ model: 'kimi-k2.5', messages: [{ role: 'user', content: { text: 'x' } }] });
    assert.equal(objectContent.status, 400);
    assert.match(objectContent.json.error.message, /object is not acceptable/);

    const tooLong = await chat({ model: 'moonshot-v1-8k', max_tokens: 8190, messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json, { error: { message: 'Your request exceeded model token limit : 8192', type: 'invalid_request_error' } });
    const huge = await chat({ model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'word '.repeat(8000) }] });
    assert.equal(huge.status, 400);
    assert.equal(huge.json.error.type, 'invalid_request_error');

    const hot = await chat({ model: 'moonshot-v1-8k', temperature: 1.5, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(hot.status, 400);
    const thinking = await chat({ model: 'kimi-k2-thinking', temperature: 0.3, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(thinking.json.error.message, 'invalid temperature: only 1 is allowed for this model');
    const notJson = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` }, body: '{' });
    assert.equal(notJson.status, 400);
    const ok = await chat({ model: 'moonshot-v1-8k', max_tokens: 8000, messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(ok.status, 200);
  });

  describe('tool calls', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const ask = { model: 'kimi-k2.5', tools, messages: [{ role: 'user', content: 'call:get_weather {"city":"北京"}' }] };

    it('calls a tool when the last user message says call:<name>', async () => {
      const reply = await call(server, 'POST', '/v1/chat/completions', ask);
      const choice = reply.json.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.deepEqual(choice.message.tool_calls, [
        { id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"北京"}' } },
      ]);
    });

    it('streams the id and name first, then the arguments in pieces', async () => {
      const result = await stream(server, ask);
      const calls = result.events.map((e) => e.choices[0].delta.tool_calls).filter(Boolean);
      assert.ok(calls.length > 2);
      assert.deepEqual(calls[0], [{ index: 0, id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '' } }]);
      assert.ok(calls.slice(1).every((c: Array<Record<string, unknown>>) => c[0].id === undefined));
      assert.equal(calls.map((c: Array<{ function: { arguments: string } }>) => c[0].function.arguments).join(''), '{"city":"北京"}');
      assert.equal(result.events[result.events.length - 1].choices[0].finish_reason, 'tool_calls');
      assert.ok(result.done);
    });

    it('answers normally when the tool is not offered, and rejects malformed tools', async () => {
      const plain = await call(server, 'POST', '/v1/chat/completions', { ...ask, tools: undefined });
      assert.equal(plain.json.choices[0].finish_reason, 'stop');
      assert.equal(plain.json.choices[0].message.tool_calls, undefined);
      for (const bad of [{}, [{ type: 'function', function: { name: 'x' } }], [{ type: 'function', function: { name: 'ok_name', parameters: { type: 'array' } } }]]) {
        const reply = await call(server, 'POST', '/v1/chat/completions', { ...ask, tools: bad });
        assert.equal(reply.status, 400, JSON.stringify(bad));
      }
    });

    it('accepts the tool result and answers', async () => {
      const messages = [
        ...ask.messages,
        { role: 'assistant', content: '', reasoning_content: 'I call it.', tool_calls: [{ id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'get_weather:0', name: 'get_weather', content: 'sunny' },
      ];
      const reply = await call(server, 'POST', '/v1/chat/completions', { ...ask, messages });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.choices[0].finish_reason, 'stop');
      const orphan = await call(server, 'POST', '/v1/chat/completions', { ...ask, messages: [ask.messages[0], messages[2]] });
      assert.equal(orphan.status, 400);
    });
  });

  it('paces streamed chunks with chunkDelayMs', async () => {
    const paced = await startMockServer({ chunkDelayMs: 30 });
    try {
      const started = Date.now();
      const result = await stream(paced, { model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'echo:a b c d e' }] });
      // 1 role chunk + 5 words + finish = 7 chunks, so at least 6 pauses.
      assert.equal(result.events.length, 7);
      assert.ok(Date.now() - started >= 6 * 30 - 5, `took ${Date.now() - started} ms`);
    } finally {
      await paced.close();
    }
  });

  it('stops writing a stream as soon as the client disconnects', async () => {
    server.fault({ kind: 'slow', chunkDelayMs: 100 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'kimi-k2.5', stream: true, messages: [{ role: 'user', content: 'a long question '.repeat(20) }] }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    assert.equal(server.state.openStreams, 1);
    controller.abort();
    // The whole answer would take several seconds at 100 ms a chunk; the server must give up now.
    assert.ok(await eventually(() => server.state.openStreams === 0, 1000), 'stream still open on the server');
  });

  it('counts tokens the way chat bills prompts', async () => {
    const messages = [{ role: 'system', content: 'You are Kimi.' }, { role: 'user', content: '你好，Kimi! How are you?' }];
    const count = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'kimi-k2.5', messages });
    assert.equal(count.status, 200);
    assert.deepEqual(count.json, { data: { total_tokens: estimateTokens(messages as never) } });
    const chat = await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', messages });
    assert.equal(chat.json.usage.prompt_tokens, count.json.data.total_tokens);
    const longer = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', {
      model: 'kimi-k2.5', messages: [...messages, { role: 'user', content: 'more words here' }],
    });
    assert.ok(longer.json.data.total_tokens > count.json.data.total_tokens);
    const unknown = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'x', messages });
    assert.equal(unknown.status, 404);
    const empty = await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'kimi-k2.5', messages: [] });
    assert.equal(empty.status, 400);
  });

  it('reports the balance in its wrapper shape', async () => {
    const reply = await call(server, 'GET', '/v1/users/me/balance');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.code, 0);
    assert.equal(reply.json.status, true);
    assert.equal(reply.json.scode, '0x0');
    const { available_balance, voucher_balance, cash_balance } = reply.json.data;
    assert.ok(Math.abs(available_balance - (voucher_balance + cash_balance)) < 1e-6);
    server.state.balance = { available_balance: 0, voucher_balance: 0, cash_balance: 0 };
    assert.equal((await call(server, 'GET', '/v1/users/me/balance')).json.data.available_balance, 0);
  });

  it('records requests with method, path, headers, parsed body and time', async () => {
    const before = Date.now();
    await call(server, 'POST', '/v1/tokenizers/estimate-token-count', { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'x' }] });
    await sleep(1);
    assert.equal(server.requests.length, 1);
    const [recorded] = server.requests;
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.path, '/v1/tokenizers/estimate-token-count');
    assert.equal(recorded.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(recorded.body, { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'x' }] });
    assert.ok(recorded.at >= before && recorded.at <= Date.now());
  });
});
