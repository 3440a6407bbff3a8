// The client's thinking-model pieces against the real test server: what chatParams and messagesFor
// produce is accepted under the strict rules, and readAnswer assembles what the server streams.
import * as assert from 'node:assert/strict';
import {
  chatParams,
  InvokeConnectionError,
  messagesFor,
  modelFacts,
  readAnswer,
  type ChatMessage,
  type Tool,
} from '../../../src/kimi';
import { clientFor, useServer } from './helpers';

const ALL_MODELS = ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k2.6', 'kimi-k2.5', 'kimi-k2-thinking',
  'kimi-k2-turbo-preview', 'kimi-latest', 'moonshot-v1-8k', 'moonshot-v1-auto'];
const lookup: Tool[] = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];

describe('thinking models: client against the test server', function () {
  this.timeout(20_000);
  const ctx = useServer();

  it('chatParams is accepted by every model for every preference', async () => {
    const client = clientFor(ctx.server);
    for (const id of ALL_MODELS) {
      for (const thinking of ['auto', 'on', 'off'] as const) {
        const params = chatParams(modelFacts(id), { thinking, reasoningEffort: 'medium', temperature: 0.3, maxTokens: 2000 });
        const answer = await readAnswer(client.streamGenerate(id, [{ role: 'user', content: 'echo:ok' }], params));
        assert.equal(answer.content, 'ok', `${id} ${thinking}`);
      }
    }
  });

  it('a conversation from a model that does not think continues on every model (folded where needed)', async () => {
    const client = clientFor(ctx.server);
    // Written by moonshot-v1-8k: no reasoning anywhere, one tool round.
    const history: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'echo:first' }];
    history.push((await readAnswer(client.streamGenerate('moonshot-v1-8k', history))).message);
    history.push({ role: 'user', content: 'call:lookup {"q":"x"}' });
    const call = await readAnswer(client.streamGenerate('moonshot-v1-8k', history, { tools: lookup }));
    assert.equal(call.finishReason, 'tool_calls');
    history.push(call.message, { role: 'tool', tool_call_id: call.toolCalls[0]!.id, name: 'lookup', content: 'found' });
    history.push((await readAnswer(client.streamGenerate('moonshot-v1-8k', history, { tools: lookup }))).message);
    history.push({ role: 'user', content: 'echo:next' });

    for (const id of ALL_MODELS) {
      const facts = modelFacts(id);
      // Sent as stored, the strict replay rule refuses it on the preserved-thinking and tool-replaying models.
      if (facts.preservedThinking || facts.thinking !== 'none') {
        await assert.rejects(client.generate(id, history, { tools: lookup }), /reasoning_content is missing/, id);
      }
      const sent = messagesFor(facts, history);
      const answer = await readAnswer(client.streamGenerate(id, sent, { tools: lookup, ...chatParams(facts, { thinking: 'auto' }) }));
      assert.equal(answer.content, 'next', id);
    }
  });

  it('replays reasoning exactly as returned over several turns with tool calls on kimi-k3', async () => {
    const client = clientFor(ctx.server);
    const facts = modelFacts('kimi-k3');
    const convo: ChatMessage[] = [{ role: 'user', content: 'say:Checking.\ncall:lookup {"q":"a"}' }];
    const first = await readAnswer(client.streamGenerate('kimi-k3', messagesFor(facts, convo), { tools: lookup }));
    assert.ok(first.reasoning.length > 0);
    assert.equal(first.content, 'Checking.');
    assert.deepEqual(first.toolCalls.map((c) => [c.function.name, c.function.arguments]), [['lookup', '{"q":"a"}']]);
    convo.push(first.message, { role: 'tool', tool_call_id: first.toolCalls[0]!.id, name: 'lookup', content: 'A' });
    const second = await readAnswer(client.streamGenerate('kimi-k3', messagesFor(facts, convo), { tools: lookup }));
    assert.equal(second.content, 'The tool lookup answered: A');
    convo.push(second.message, { role: 'user', content: 'echo:done' });
    const third = await readAnswer(client.streamGenerate('kimi-k3', messagesFor(facts, convo), { tools: lookup }));
    assert.equal(third.content, 'done');
    assert.ok(third.usage?.reasoningTokens && third.usage.reasoningTokens > 0);
    const sent = ctx.server.requests.at(-1)!.body as { messages: ChatMessage[] };
    assert.deepEqual(sent.messages.filter((m) => m.role === 'assistant').map((m) => m.reasoning_content), [first.reasoning, second.reasoning]);
  });

  it('assembles parallel streamed calls, and a cut stream is the client error', async () => {
    const client = clientFor(ctx.server);
    const tools: Tool[] = [...lookup, { type: 'function', function: { name: 'fetch_page' } }];
    const ask: ChatMessage[] = [{ role: 'user', content: 'call:lookup {"q":"a long argument to split"}\ncall:fetch_page {"url":"https://example.invalid"}' }];
    const params = { tools, thinking: { type: 'disabled' as const } };
    const answer = await readAnswer(client.streamGenerate('kimi-k2.6', ask, params));
    assert.deepEqual(answer.toolCalls, [
      { id: 'lookup:0', type: 'function', function: { name: 'lookup', arguments: '{"q":"a long argument to split"}' } },
      { id: 'fetch_page:1', type: 'function', function: { name: 'fetch_page', arguments: '{"url":"https://example.invalid"}' } },
    ]);
    ctx.server.fault({ kind: 'cut', afterChunks: 8 });
    let seen = 0;
    await assert.rejects(readAnswer(client.streamGenerate('kimi-k2.6', ask, params), (d) => (seen += d.toolCalls ? 1 : 0)), InvokeConnectionError);
    assert.ok(seen > 0, 'the cut came in the middle of the calls');
  });
});
