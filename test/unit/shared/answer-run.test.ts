// ChatRun against the real test server: streaming, usage, Stop (the server sees the disconnect),
// a dropped connection, the cache message and the settings sent.
import * as assert from 'node:assert/strict';
import { DeltaBatcher } from '../../../src/chat/batcher';
import type { Conversation, Turn } from '../../../src/chat/protocol';
import { ChatRun, toApiMessages } from '../../../src/shared/answer-run';
import { InvokeConnectionError, InvokeTimeoutError, KimiClient } from '../../../src/kimi';
import { answerFor, startMockServer, TEST_API_KEY, type MockServer } from '../../server';

const turn = (role: Turn['role'], content: string, status?: Turn['status']): Turn => ({
  id: `t-${content.length}-${role}`,
  role,
  content,
  createdAt: 0,
  ...(status ? { status } : {}),
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ChatRun against the test server', () => {
  let server: MockServer;
  let client: KimiClient;
  before(async () => {
    server = await startMockServer();
    client = new KimiClient({ apiKey: TEST_API_KEY, baseUrl: server.url, maxRetries: 0 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('streams the whole answer in order and reports usage from the final chunk', async () => {
    const messages = toApiMessages({}, [turn('user', 'How do I reverse a list in Python?')]);
    let text = '';
    let pieces = 0;
    const result = await new ChatRun({
      client,
      model: 'moonshot-v1-8k',
      messages,
      maxTokens: 321,
      onText: (t) => {
        text += t;
        pieces++;
      },
    }).start();
    assert.equal(result.outcome, 'done');
    assert.equal(text, answerFor(messages));
    assert.ok(pieces > 1, 'the answer arrives in several deltas');
    assert.ok(result.usage && result.usage.prompt > 0 && result.usage.completion > 0, JSON.stringify(result.usage));
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')?.body as Record<string, unknown>;
    assert.equal(sent.max_tokens, 321);
    assert.equal(sent.stream, true);
    assert.equal('temperature' in sent, false, 'temperature is sent only when set');
  });

  it('sends the temperature when it is set', async () => {
    await new ChatRun({ client, model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'echo:x' }], maxTokens: 10, temperature: 0.3, onText: () => undefined }).start();
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')?.body as Record<string, unknown>;
    assert.equal(sent.temperature, 0.3);
  });

  it('stops at once: the request is aborted, the server sees the disconnect, the partial text stays', async () => {
    server.fault({ kind: 'slow', chunkDelayMs: 40 });
    let text = '';
    const run = new ChatRun({ client, model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'echo:' + 'word '.repeat(200) }], maxTokens: 1000, onText: (t) => (text += t) });
    const done = run.start();
    await waitFor(() => text.length > 0);
    assert.equal(server.state.openStreams, 1);
    const stoppedAt = Date.now();
    run.stop();
    const result = await done;
    assert.ok(Date.now() - stoppedAt < 500, 'stop returns quickly');
    assert.equal(result.outcome, 'stopped');
    assert.ok(text.length > 0 && text.length < 1000, `partial text kept (${text.length} chars)`);
    await waitFor(() => server.state.openStreams === 0, 2000);
  });

  it('rejects with a connection error when the stream is cut, after delivering what arrived', async () => {
    server.fault({ kind: 'cut', afterChunks: 3 });
    let text = '';
    await assert.rejects(
      new ChatRun({ client, model: 'moonshot-v1-8k', messages: [{ role: 'user', content: 'echo:' + 'abc '.repeat(100) }], maxTokens: 1000, onText: (t) => (text += t) }).start(),
      (e) => e instanceof InvokeConnectionError && !(e instanceof InvokeTimeoutError),
    );
    assert.ok(text.length > 0, 'the text before the cut was delivered');
  });

  it('sends the cache message first for a conversation attached to a cache or a tag', async () => {
    const withTag: Pick<Conversation, 'cache'> = { cache: { kind: 'tag', tag: 'my-docs' } };
    assert.deepEqual(toApiMessages(withTag, [turn('user', 'q')]), [
      { role: 'cache', content: 'tag=my-docs' },
      { role: 'user', content: 'q' },
    ]);
    const client2 = client;
    const cache = await client2.createCache('moonshot-v1', [{ role: 'system', content: 'You know the docs.' }], { ttl: 600 });
    const messages = toApiMessages({ cache: { kind: 'cache', cacheId: cache.id } }, [turn('user', 'echo:ok')]);
    assert.deepEqual(messages[0], { role: 'cache', content: `cache_id=${cache.id}` });
    let text = '';
    await new ChatRun({ client, model: 'moonshot-v1-8k', messages, maxTokens: 10, onText: (t) => (text += t) }).start();
    assert.equal(text, 'ok');
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')?.body as { messages: unknown[]; tools?: unknown };
    assert.deepEqual(sent.messages[0], { role: 'cache', content: `cache_id=${cache.id}` });
    assert.equal(sent.tools, undefined, 'no tools with a cache');
  });

  it('leaves empty and failed-without-text answers out of the history', () => {
    const messages = toApiMessages({}, [
      turn('user', 'first'),
      turn('assistant', '', 'error'),
      turn('user', 'second'),
      turn('assistant', 'partial', 'stopped'),
      turn('user', 'third'),
    ]);
    assert.deepEqual(
      messages.map((m) => `${m.role}:${String(m.content)}`),
      ['user:first', 'user:second', 'assistant:partial', 'user:third'],
    );
  });
});

describe('DeltaBatcher', () => {
  it('coalesces deltas per interval and flushes on demand', async () => {
    const sent: string[] = [];
    const b = new DeltaBatcher((t) => sent.push(t), 20);
    b.push('a');
    b.push('b');
    b.push('c');
    assert.deepEqual(sent, []);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(sent, ['abc']);
    b.push('d');
    b.flush();
    assert.deepEqual(sent, ['abc', 'd']);
    b.flush();
    assert.deepEqual(sent, ['abc', 'd']);
  });
});
