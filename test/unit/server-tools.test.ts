// The test server's tool calls: parallel calls, a call after text, tool results paired by id,
// tool_choice, and the $web_search round trip.
import * as assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '../server';
import { call, stream, textOf } from './server-support';

const CHAT = '/v1/chat/completions';
const fn = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } });
const tools = [fn('get_weather'), fn('get_time')];
const webSearch = [{ type: 'builtin_function', function: { name: '$web_search' } }];

describe('test server: tool calls', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());
  const chat = (body: Record<string, unknown>) => call(server, 'POST', CHAT, body);

  it('streams parallel calls by index, after the text said before them, after the reasoning', async () => {
    const content = 'say:Let me check both.\ncall:get_weather {"city":"Paris"}\ncall:get_time {"tz":"CET"}';
    const result = await stream(server, { model: 'kimi-k2.6', tools, messages: [{ role: 'user', content }] });
    const deltas = result.events.map((e) => e.choices[0]?.delta ?? {});
    const order = deltas.slice(1).map((d) => (d.reasoning_content ? 'r' : d.content ? 'c' : d.tool_calls ? 't' : '')).join('');
    assert.match(order, /^r+c+t+$/);
    assert.equal(textOf(result.events), 'Let me check both.');
    const fragments = deltas.flatMap((d) => d.tool_calls ?? []);
    const starts = fragments.filter((f: { id?: string }) => f.id);
    assert.deepEqual(starts, [
      { index: 0, id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, id: 'get_time:1', type: 'function', function: { name: 'get_time', arguments: '' } },
    ]);
    const args = (i: number) => fragments.filter((f: { index: number }) => f.index === i).map((f: { function: { arguments: string } }) => f.function.arguments).join('');
    assert.equal(args(0), '{"city":"Paris"}');
    assert.equal(args(1), '{"tz":"CET"}');
    assert.ok(fragments.length > 4, 'arguments arrive in pieces');
    assert.equal(result.events[result.events.length - 1].choices[0].finish_reason, 'tool_calls');
  });

  it('needs a tool message for every call, and answers from the results', async () => {
    const calls = [
      { id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
      { id: 'get_time:1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ];
    const history = [{ role: 'user', content: 'Weather and time?' }, { role: 'assistant', content: '', tool_calls: calls }];
    const missing = await chat({ model: 'moonshot-v1-8k', tools, messages: [...history, { role: 'tool', tool_call_id: 'get_weather:0', content: 'sunny' }] });
    assert.equal(missing.status, 400);
    assert.match(missing.json.error.message, /tool_call_id get_time:1 of the message at position 1 has no tool message/);
    const wrongId = await chat({ model: 'moonshot-v1-8k', tools, messages: [...history, { role: 'tool', tool_call_id: 'nope:0', content: 'x' }] });
    assert.equal(wrongId.status, 400);
    const ok = await chat({ model: 'moonshot-v1-8k', tools, messages: [...history,
      { role: 'tool', tool_call_id: 'get_weather:0', name: 'get_weather', content: 'sunny' },
      { role: 'tool', tool_call_id: 'get_time:1', name: 'get_time', content: '12:00' }] });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.choices[0].message.content, 'The tool get_weather answered: sunny\n\nThe tool get_time answered: 12:00');
  });

  it('honours tool_choice: none never calls, required (kimi-k3 only) always calls', async () => {
    const none = await chat({ model: 'kimi-k2.6', tools, tool_choice: 'none', messages: [{ role: 'user', content: 'call:get_time {}' }] });
    assert.equal(none.json.choices[0].finish_reason, 'stop');
    const required = await chat({ model: 'kimi-k3', tools, tool_choice: 'required', messages: [{ role: 'user', content: 'What time is it?' }] });
    assert.equal(required.json.choices[0].finish_reason, 'tool_calls');
    assert.equal(required.json.choices[0].message.tool_calls[0].function.name, 'get_weather');
    const refused = await chat({ model: 'kimi-k2.6', tools, tool_choice: 'required', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error.message, /tool_choice "required" is not supported by the model kimi-k2.6/);
  });

  it('runs the $web_search round trip: a call with usage.total_tokens, the arguments echoed back, an answer', async () => {
    const question = { role: 'user', content: 'What is new in TypeScript?' };
    const first = await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, tools: webSearch, messages: [question] });
    const choice = first.json.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const [search] = choice.message.tool_calls;
    assert.equal(search.function.name, '$web_search');
    const args = JSON.parse(search.function.arguments);
    assert.equal(typeof args.usage.total_tokens, 'number');
    const assistant = { role: 'assistant', content: choice.message.content, tool_calls: choice.message.tool_calls };
    const echoed = { role: 'tool', tool_call_id: search.id, name: '$web_search', content: search.function.arguments };
    const second = await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, tools: webSearch, messages: [question, assistant, echoed] });
    assert.equal(second.status, 200);
    assert.equal(second.json.choices[0].finish_reason, 'stop');
    assert.match(second.json.choices[0].message.content, /^Searched the web for "What is new in TypeScript\?"/);
    // The search results are billed as prompt tokens of the second call.
    assert.ok(second.json.usage.prompt_tokens > args.usage.total_tokens);
    const changed = await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, tools: webSearch, messages: [question, assistant, { ...echoed, content: '{}' }] });
    assert.equal(changed.status, 400);
    assert.match(changed.json.error.message, /must be the call's arguments unchanged/);
    const echo = await chat({ model: 'kimi-k2.6', thinking: { type: 'disabled' }, tools: webSearch, messages: [{ role: 'user', content: 'echo:plain' }] });
    assert.equal(echo.json.choices[0].message.content, 'plain');
  });
});
