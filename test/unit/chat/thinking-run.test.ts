// The chat's answers from thinking models against the test server (which enforces the 2026 rules):
// reasoning before text, parameters per model, reasoning replayed (or dropped) on later turns, Continue
// in partial mode after a cut-off, and the $web_search round trip.
import * as assert from 'node:assert/strict';
import type { Turn } from '../../../src/chat/protocol';
import { ChatRun, continuationMessages, toApiMessages, type RunRequest } from '../../../src/shared/answer-run';
import { ThinkTagSplitter } from '../../../src/shared/think-tags';
import { KimiClient, modelFacts } from '../../../src/kimi';
import type { ChatMessage } from '../../../src/kimi/types';
import { answerFor, startMockServer, TEST_API_KEY, type MockServer } from '../../server';
import { estimateTextTokens, reasoningFor } from '../../server/answers';

type Sent = { model: string; messages: ChatMessage[]; max_tokens?: number; temperature?: number; thinking?: unknown; tools?: unknown };

let n = 0;
const turn = (role: Turn['role'], content: string, over: Partial<Turn> = {}): Turn => ({ id: `t${++n}`, role, content, createdAt: 0, status: 'done', ...over });

describe('chat answers from thinking models (test server)', () => {
  let server: MockServer;
  let client: KimiClient;
  before(async () => {
    server = await startMockServer();
    client = new KimiClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 0 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const sent = (): Sent[] => server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Sent);

  async function run(over: Partial<RunRequest> & Pick<RunRequest, 'model' | 'messages'>) {
    const order: string[] = [];
    let text = '';
    const result = await new ChatRun({
      client,
      onText: (t) => {
        text += t;
        order.push('text');
      },
      onReasoning: () => order.push('reasoning'),
      ...over,
    }).start();
    return { result, text, order };
  }

  it('streams the reasoning before the answer and keeps it as returned; no sampling parameters, a thinking budget', async () => {
    const messages = toApiMessages({}, [turn('user', 'Why is the sky blue?')]);
    const { result, text, order } = await run({ model: 'kimi-k2.7-code', messages, temperature: 0.3 });
    assert.equal(result.outcome, 'done');
    assert.equal(result.reasoning, reasoningFor(messages));
    assert.equal(text, answerFor(messages));
    assert.equal(order[0], 'reasoning');
    assert.equal(order.indexOf('reasoning', order.indexOf('text')), -1, 'no reasoning after the answer started');
    assert.ok(result.usage?.reasoning && result.usage.reasoning > 0 && result.usage.reasoning < result.usage.completion, JSON.stringify(result.usage));
    const [body] = sent();
    assert.equal('temperature' in body!, false, 'a fixed-sampling model gets no temperature');
    assert.equal('thinking' in body!, false);
    assert.equal(body!.max_tokens, 32_768);
  });

  it('replays the reasoning on the next turn exactly as returned (the server refuses an answer without it)', async () => {
    const q1 = turn('user', 'First question about lists?');
    const first = await run({ model: 'kimi-k3', messages: toApiMessages({}, [q1]) });
    const a1 = turn('assistant', answerFor(toApiMessages({}, [q1])), { reasoning: first.result.reasoning });
    const second = await run({ model: 'kimi-k3', messages: toApiMessages({}, [q1, a1, turn('user', 'echo:and then?')], true) });
    assert.equal(second.text, 'and then?');
    const replayed = sent()[1]!.messages.find((m) => m.role === 'assistant');
    assert.equal(replayed?.reasoning_content, first.result.reasoning);

    // The strict rule this protects against: a client that did not know kimi-k3 preserves thinking
    // would send the answer without its reasoning and get a 400.
    const unaware = { ...modelFacts('kimi-k3'), preservedThinking: false };
    const bare: ChatMessage[] = [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'echo:x' }];
    await assert.rejects(new ChatRun({ client, model: 'kimi-k3', facts: unaware, messages: bare, onText: () => undefined }).start(), /reasoning_content is missing/);
  });

  it('continues a conversation whose answers have no reasoning on a model that requires it, and drops reasoning for a model that takes none', async () => {
    const turns = [turn('user', 'echo:old question'), turn('assistant', 'old answer from moonshot-v1'), turn('user', 'echo:new question')];
    const onK3 = await run({ model: 'kimi-k3', messages: toApiMessages({}, turns, true) });
    assert.equal(onK3.text, 'new question');
    const withReasoning = [turn('user', 'echo:q'), turn('assistant', 'a', { reasoning: 'I thought.' }), turn('user', 'echo:next')];
    await run({ model: 'moonshot-v1-8k', messages: toApiMessages({}, withReasoning, true) });
    assert.ok(sent()[1]!.messages.every((m) => m.reasoning_content === undefined), 'no reasoning to a model that never thinks');
    assert.equal(withReasoning[1]!.reasoning, 'I thought.', 'the conversation keeps it');
  });

  it('reports a cut-off at the token limit, and Continue (partial mode) appends the rest without repeating it', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const messages = toApiMessages({}, [turn('user', `echo:${words}`)]);
    const budget = estimateTextTokens(reasoningFor(messages)) + 12;
    const first = await run({ model: 'kimi-k2.7-code', messages, maxTokens: budget });
    assert.equal(first.result.finishReason, 'length');
    assert.ok(first.text.length > 0 && first.text.length < words.length, `cut mid-answer (${first.text.length} chars)`);
    const cut = turn('assistant', first.text, { reasoning: first.result.reasoning, finishReason: 'length' });
    const more = await run({ model: 'kimi-k2.7-code', messages: continuationMessages(messages, cut) });
    assert.equal(more.result.finishReason, 'stop');
    assert.equal(first.text + more.text, words, 'the continuation follows on exactly, nothing repeated');
    const last = sent()[1]!.messages.at(-1)!;
    assert.deepEqual([last.role, last.partial, last.content, last.reasoning_content], ['assistant', true, first.text, first.result.reasoning]);
  });

  it('runs the $web_search round trip: echoes the call\'s arguments as the tool result and counts the search', async () => {
    const messages = toApiMessages({}, [turn('user', 'What is new in Kimi K3?')]);
    const searches: number[] = [];
    const { result, text } = await run({ model: 'kimi-k2.7-code', messages, webSearch: true, onWebSearch: (c) => searches.push(c) });
    assert.equal(result.webSearches, 1);
    assert.deepEqual(searches, [1]);
    assert.match(text, /Searched the web for/);
    const [ask, again] = sent();
    assert.deepEqual(ask!.tools, [{ type: 'builtin_function', function: { name: '$web_search' } }]);
    const call = again!.messages.find((m) => m.tool_calls)!;
    const tool = again!.messages.find((m) => m.role === 'tool')!;
    assert.equal(tool.content, call.tool_calls![0]!.function.arguments);
    assert.equal(tool.tool_call_id, call.tool_calls![0]!.id);
    assert.equal(call.reasoning_content, reasoningFor(messages), 'the tool-call message carries its reasoning back');
    assert.ok(result.usage && result.usage.prompt > sent().length, 'usage of both rounds');
  });
});

describe('reasoning inside <think> in content', () => {
  const split = (deltas: string[]) => {
    const s = new ThinkTagSplitter();
    const out = { content: '', reasoning: '' };
    for (const d of [...deltas.map((x) => s.push(x)), s.finish()]) {
      out.content += d.content;
      out.reasoning += d.reasoning;
    }
    return out;
  };

  it('moves a leading <think> block to the reasoning, tags split anywhere', () => {
    const whole = '  <think>Plan: answer briefly.</think>\n\nThe answer.';
    for (let i = 1; i < whole.length; i++) {
      assert.deepEqual(split([whole.slice(0, i), whole.slice(i)]), { content: 'The answer.', reasoning: 'Plan: answer briefly.' }, `split at ${i}`);
    }
    assert.deepEqual(split([...whole]), { content: 'The answer.', reasoning: 'Plan: answer briefly.' });
  });

  it('leaves other answers alone, including a <think> that is not at the start or never closes', () => {
    assert.deepEqual(split(['Use the ', '<think> tag like this.']), { content: 'Use the <think> tag like this.', reasoning: '' });
    assert.deepEqual(split(['<thi', 'nking>']), { content: '<thinking>', reasoning: '' });
    assert.deepEqual(split(['<', '']), { content: '<', reasoning: '' });
    assert.deepEqual(split(['<think>still going']), { content: '', reasoning: 'still going' });
  });
});
