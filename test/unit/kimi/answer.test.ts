// AnswerAccumulator on hand-made chunks: fragments split across chunks, parallel calls, a call after
// text, reasoning then content, a cut stream, both usage spellings.
import * as assert from 'node:assert/strict';
import { AnswerAccumulator, answerUsage, InvokeConnectionError, readAnswer, type ChatCompletionChunk } from '../../../src/kimi';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

const chunk = (delta: Delta, finish: string | null = null, extra: Record<string, unknown> = {}): ChatCompletionChunk => ({
  id: 'cmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'kimi-k3',
  choices: [{ index: 0, delta, finish_reason: finish, ...extra }],
});

async function* streamOf(chunks: ChatCompletionChunk[], cutWith?: Error): AsyncIterable<ChatCompletionChunk> {
  for (const c of chunks) yield c;
  if (cutWith) throw cutWith;
}

describe('AnswerAccumulator', () => {
  it('gives reasoning then content per chunk, and both whole at the end', () => {
    const acc = new AnswerAccumulator();
    assert.deepEqual(acc.push(chunk({ role: 'assistant', content: '' })), { content: '', reasoning: '', toolCalls: false });
    assert.deepEqual(acc.push(chunk({ reasoning_content: 'Let me ' })), { content: '', reasoning: 'Let me ', toolCalls: false });
    acc.push(chunk({ reasoning_content: 'think.' }));
    assert.deepEqual(acc.push(chunk({ content: 'Hello' })), { content: 'Hello', reasoning: '', toolCalls: false });
    acc.push(chunk({ content: ' world' }));
    assert.equal(acc.finishReason, null);
    acc.push(chunk({}, 'stop', { usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, completion_tokens_details: { reasoning_tokens: 4 } } }));
    const answer = acc.finish();
    assert.equal(answer.reasoning, 'Let me think.');
    assert.equal(answer.content, 'Hello world');
    assert.equal(answer.finishReason, 'stop');
    assert.deepEqual(answer.usage, { promptTokens: 10, completionTokens: 7, totalTokens: 17, reasoningTokens: 4, answerTokens: 3 });
    assert.deepEqual(answer.message, { role: 'assistant', content: 'Hello world', reasoning_content: 'Let me think.' });
    assert.deepEqual(answer.toolCalls, []);
  });

  it('assembles a tool call whose arguments are split across chunks, after text', () => {
    const acc = new AnswerAccumulator();
    acc.push(chunk({ content: 'Let me look.' }));
    const first = acc.push(chunk({ tool_calls: [{ index: 0, id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
    assert.equal(first.toolCalls, true);
    for (const piece of ['{"ci', 'ty":"Be', 'ijing"', '}']) acc.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    acc.push(chunk({}, 'tool_calls'));
    const answer = acc.finish();
    assert.equal(answer.content, 'Let me look.');
    assert.deepEqual(answer.toolCalls, [{ id: 'get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } }]);
    assert.deepEqual(answer.message.tool_calls, answer.toolCalls);
    assert.equal(answer.finishReason, 'tool_calls');
  });

  it('keeps parallel calls apart by index, even interleaved', () => {
    const acc = new AnswerAccumulator();
    acc.push(chunk({ tool_calls: [{ index: 0, id: 'a:0', type: 'function', function: { name: 'alpha', arguments: '{"x":' } }] }));
    acc.push(chunk({ tool_calls: [{ index: 1, id: 'b:1', type: 'function', function: { name: 'beta', arguments: '{"y":' } }] }));
    acc.push(chunk({ tool_calls: [{ index: 1, function: { arguments: '2}' } }, { index: 0, function: { arguments: '1}' } }] }));
    acc.push(chunk({}, 'tool_calls'));
    assert.deepEqual(acc.finish().toolCalls.map((c) => [c.id, c.function.name, c.function.arguments]), [
      ['a:0', 'alpha', '{"x":1}'],
      ['b:1', 'beta', '{"y":2}'],
    ]);
  });

  it('a cut stream surfaces as the client error, not a half tool call', async () => {
    const cut = new InvokeConnectionError('cut');
    const chunks = [chunk({ tool_calls: [{ index: 0, id: 'f:0', type: 'function', function: { name: 'f', arguments: '{"a":' } }] })];
    const seen: string[] = [];
    await assert.rejects(readAnswer(streamOf(chunks, cut), (_delta, acc) => seen.push(acc.toolCalls[0]!.function.arguments)), (e) => e === cut);
    assert.deepEqual(seen, ['{"a":']);
    // A stream that simply stops before its finishing chunk is a connection error too.
    await assert.rejects(readAnswer(streamOf(chunks)), InvokeConnectionError);
  });

  it('reads usage in either spelling, wherever the chunk put it', async () => {
    const top = { ...chunk({}, null), choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 3 } } };
    const answer = await readAnswer(streamOf([chunk({ content: 'x' }), chunk({}, 'stop'), top]));
    assert.deepEqual(answer.usage, { promptTokens: 5, completionTokens: 2, totalTokens: 7, cachedTokens: 3 });
    assert.equal(answerUsage({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, cached_tokens: 4 }).cachedTokens, 4);
    const inChoice = await readAnswer(streamOf([chunk({ content: 'x' }, 'length', { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })]));
    assert.deepEqual(inChoice.usage, { promptTokens: 1, completionTokens: 2, totalTokens: 3 });
    assert.equal(inChoice.finishReason, 'length');
  });

  it('follows the requested choice only', () => {
    const acc = new AnswerAccumulator(1);
    acc.push({ ...chunk({ content: 'zero' }), choices: [{ index: 0, delta: { content: 'zero' }, finish_reason: null }] });
    acc.push({ ...chunk({}), choices: [{ index: 1, delta: { content: 'one' }, finish_reason: 'stop' }] });
    assert.equal(acc.finish().content, 'one');
  });
});
