// messagesFor (pure): reasoning kept, stripped or folded per model; empty messages dropped. The
// folded history is checked against the test server's replay rule in history-server.test.ts.
import * as assert from 'node:assert/strict';
import { FOLDED_HISTORY_INTRO, messagesFor, modelFacts, type ChatMessage } from '../../../src/kimi';

const call = { id: 'f:0', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } };
const withReasoning: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello', reasoning_content: 'A greeting.' },
  { role: 'user', content: 'Look it up' },
  { role: 'assistant', content: '', tool_calls: [call], reasoning_content: 'I need the tool.' },
  { role: 'tool', tool_call_id: 'f:0', name: 'lookup', content: 'found' },
  { role: 'user', content: 'Thanks' },
];

describe('messagesFor', () => {
  it('keeps reasoning on every assistant message for preserved-thinking models, exactly as stored', () => {
    for (const id of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.7-code-highspeed', 'kimi-k9-unknown']) {
      assert.deepEqual(messagesFor(modelFacts(id), withReasoning), withReasoning, id);
    }
  });

  it('keeps it only on tool-call messages for other thinking models, and nowhere for the rest', () => {
    const k26 = messagesFor(modelFacts('kimi-k2.6'), withReasoning);
    assert.equal(k26[2]!.reasoning_content, undefined);
    assert.equal(k26[4]!.reasoning_content, 'I need the tool.');
    const v1 = messagesFor(modelFacts('moonshot-v1-8k'), withReasoning);
    assert.ok(v1.every((m) => m.reasoning_content === undefined));
    assert.equal(v1.length, withReasoning.length);
    // The stored conversation is not touched.
    assert.equal(withReasoning[2]!.reasoning_content, 'A greeting.');
  });

  it('drops empty messages unless they carry tool calls', () => {
    const sent = messagesFor(modelFacts('kimi-k2.6'), [
      { role: 'user', content: '' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '', reasoning_content: 'only thought' },
      { role: 'assistant', content: [], tool_calls: [call], reasoning_content: 'r' },
      { role: 'tool', tool_call_id: 'f:0', content: '' },
      { role: 'user', content: 'Go on' },
    ]);
    assert.deepEqual(sent.map((m) => m.role), ['user', 'assistant', 'tool', 'user']);
    assert.equal(sent[2]!.content, '(no output)');
  });

  it('folds an earlier exchange without reasoning into one quoted user message', () => {
    const old: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello (from moonshot-v1)' },
      { role: 'user', content: 'More' },
      { role: 'assistant', content: 'Sure', reasoning_content: 'k3 thought' },
      { role: 'user', content: 'Again' },
    ];
    const sent = messagesFor(modelFacts('kimi-k3'), old);
    assert.deepEqual(sent.map((m) => m.role), ['system', 'user', 'user', 'assistant', 'user']);
    assert.equal(sent[0]!.content, 'Be brief.');
    const quoted = sent[1]!.content as string;
    assert.ok(quoted.startsWith(FOLDED_HISTORY_INTRO));
    assert.match(quoted, /User:\nHi\n\nAssistant:\nHello \(from moonshot-v1\)/);
    assert.deepEqual(sent.slice(2), old.slice(3));
    // kimi-k2.6 does not need the fold for plain answers.
    assert.deepEqual(messagesFor(modelFacts('kimi-k2.6'), old).map((m) => m.role), old.map((m) => m.role));
  });

  it('folds a reasoning-less tool-call exchange for every thinking model, with its tool results', () => {
    const old: ChatMessage[] = [
      { role: 'user', content: 'Look it up' },
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'f:0', name: 'lookup', content: 'found' },
      { role: 'assistant', content: 'It says found.' },
      { role: 'user', content: 'Thanks' },
    ];
    const sent = messagesFor(modelFacts('kimi-k2-thinking'), old);
    assert.deepEqual(sent.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.match(sent[0]!.content as string, /called the tool lookup with \{"q":"x"\}\n\nTool result \(lookup\):\nfound$/);
    // With thinking turned off a switchable model takes the history as it is.
    assert.deepEqual(messagesFor(modelFacts('kimi-k2.6'), old, { thinking: 'off' }).map((m) => m.role), old.map((m) => m.role));
  });

  it('keeps a last partial message as the answer being continued', () => {
    const sent = messagesFor(modelFacts('kimi-k2.7-code'), [
      { role: 'user', content: 'Write' },
      { role: 'assistant', content: 'def f(', reasoning_content: 'code', partial: true },
    ]);
    assert.deepEqual(sent[1], { role: 'assistant', content: 'def f(', reasoning_content: 'code', partial: true });
  });
});
