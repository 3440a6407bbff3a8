// The provider's pure rules: VS Code messages → Moonshot messages, tool names, the reasoning kept per
// turn, model info for the picker, token counting with its cache and fallbacks.
import * as assert from 'node:assert/strict';
import { classifyByShape, countableText, ROLE, toMoonshotMessages, UnsupportedInputError, type RequestMessage } from '../../../src/lm/messages';
import { modelInfo, readableName } from '../../../src/lm/models';
import { ReasoningStore } from '../../../src/lm/reasoning';
import { localEstimate, TokenCounts } from '../../../src/lm/tokens';
import { apiToolName, apiTools, ToolNames } from '../../../src/lm/tools';

const text = (value: string) => ({ value });
const call = (callId: string, name: string, input: object) => ({ callId, name, input });
const result = (callId: string, content: unknown[]) => ({ callId, content });
const image = (mimeType: string, bytes: number[]) => ({ mimeType, data: new Uint8Array(bytes) });
const msg = (role: number, ...content: unknown[]): RequestMessage => ({ role, content, name: undefined });
const map = (messages: RequestMessage[], imageInput = false) => toMoonshotMessages(messages, { model: 'm', imageInput, kindOf: classifyByShape });

describe('lm: message mapping', () => {
  it('maps text turns, joining a message\'s text parts', () => {
    assert.deepEqual(map([msg(ROLE.system, text('Be brief.')), msg(ROLE.user, text('a'), text('b')), msg(ROLE.assistant, text('c'))]), [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'ab' },
      { role: 'assistant', content: 'c' },
    ]);
  });

  it('maps tool calls and puts their results right after, as role "tool" with the call ids, before the turn\'s text', () => {
    const out = map([
      msg(ROLE.user, text('weather?')),
      msg(ROLE.assistant, text('Checking.'), call('w:0', 'get_weather', { city: 'Paris' }), call('w:1', 'mcp.time', {})),
      msg(ROLE.user, result('w:0', [text('rain')]), result('w:1', []), text('thanks')),
    ]);
    assert.deepEqual(out, [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'w:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'w:1', type: 'function', function: { name: 'mcp_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'w:0', content: 'rain' },
      { role: 'tool', tool_call_id: 'w:1', content: '(no output)' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('sends images as data URLs to models that take them, and refuses them clearly otherwise', () => {
    const ask = [msg(ROLE.user, text('what is this?'), image('image/png', [1, 2, 3]))];
    assert.deepEqual(map(ask, true), [
      { role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } }] },
    ]);
    assert.throws(() => map(ask, false), (e: unknown) => e instanceof UnsupportedInputError && /does not take images/.test(e.message));
  });

  it('leaves out hint data parts and empty assistant turns, keeps text data', () => {
    const out = map([msg(ROLE.user, text('q'), image('cache_control', [1]), image('text/plain', [104, 105])), msg(ROLE.assistant)]);
    assert.deepEqual(out, [{ role: 'user', content: 'qhi' }]);
  });

  it('counts a message\'s text, tool calls and results', () => {
    assert.equal(countableText(msg(ROLE.assistant, text('a'), call('c', 'tool', { x: 1 })), classifyByShape), 'a\ntool\n{"x":1}');
    assert.equal(countableText('plain', classifyByShape), 'plain');
  });
});

describe('lm: tools', () => {
  it('keeps valid names and makes other names valid the same way every time, mapping them back', () => {
    assert.equal(apiToolName('get_weather'), 'get_weather');
    assert.equal(apiToolName('mcp.github.search'), 'mcp_github_search');
    assert.equal(apiToolName('9x'), '_9x');
    assert.equal(apiToolName('a'), 'a__');
    const names = new ToolNames([{ name: 'mcp.github.search', description: '' }]);
    assert.equal(names.original('mcp_github_search'), 'mcp.github.search');
    assert.throws(() => new ToolNames([{ name: 'a.b', description: '' }, { name: 'a_b', description: '' }]), /same name/);
  });

  it('gives every tool an object schema', () => {
    assert.deepEqual(apiTools([{ name: 'now', description: 'time' }])[0]!.function.parameters, { type: 'object', properties: {} });
  });
});

describe('lm: reasoning kept per turn', () => {
  it('puts the reasoning back on the assistant turn that produced it, and nowhere else', () => {
    const store = new ReasoningStore();
    const calls = [{ id: 'f:0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }];
    store.remember({ content: 'Let me look.', tool_calls: calls }, 'I should call f.');
    store.remember({ content: 'Done.' }, 'All good.');
    const restored = store.restore([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'Let me look.', tool_calls: calls },
      { role: 'assistant', content: 'Done.\n' },
      { role: 'assistant', content: 'Something else.' },
    ]);
    assert.deepEqual(restored.map((m) => m.reasoning_content), [undefined, 'I should call f.', 'All good.', undefined]);
  });

  it('forgets the oldest turns past its limit', () => {
    const store = new ReasoningStore(2);
    for (const t of ['a', 'b', 'c']) store.remember({ content: t }, `r${t}`);
    assert.equal(store.size, 2);
    assert.equal(store.restore([{ role: 'assistant', content: 'a' }])[0]!.reasoning_content, undefined);
  });
});

describe('lm: model info', () => {
  it('reserves the answer length from the window and reads capabilities from the list', () => {
    const info = modelInfo({ id: 'moonshot-v1-32k-vision-preview', object: 'model', context_length: 32768, supports_image_in: true }, { thinking: 'auto', maxTokens: 4096 })!;
    assert.equal(info.maxOutputTokens, 4096);
    assert.equal(info.maxInputTokens, 32768 - 4096);
    assert.equal(info.capabilities.imageInput, true);
    assert.ok(info.capabilities.toolCalling);
    assert.equal(modelInfo({ id: 'text-embedding-3', object: 'model' }, { thinking: 'auto' }), undefined, 'not a chat model');
  });

  it('names models readably', () => {
    assert.equal(readableName('kimi-k2.7-code-highspeed'), 'Kimi K2.7 Code Highspeed');
    assert.equal(readableName('moonshot-v1-128k'), 'Moonshot v1 128K');
  });
});

describe('lm: token counts', () => {
  it('asks once per model and text, estimates huge texts locally, and falls back when the endpoint refuses a model', async () => {
    const asked: string[] = [];
    const counts = new TokenCounts(async (model, messages) => {
      asked.push(model);
      if (model === 'new-model') throw Object.assign(new Error('Not found the model new-model'), { status: 404 });
      return String(messages[0]!.content).length;
    });
    const signal = new AbortController().signal;
    assert.equal(await counts.tokens('m', 'hello', signal), 5);
    assert.equal(await counts.tokens('m', 'hello', signal), 5);
    assert.deepEqual(asked, ['m']);
    assert.equal(await counts.tokens('m', 'y'.repeat(200_001), signal), localEstimate('y'.repeat(200_001)));
    assert.equal(await counts.tokens('new-model', 'abcdefgh', signal), 2);
    assert.equal(await counts.tokens('new-model', 'other text', signal), localEstimate('other text'));
    assert.deepEqual(asked, ['m', 'new-model'], 'a refused model is not asked again');
  });
});
