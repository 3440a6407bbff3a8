// Every client method against the real test server: what goes on the wire and what comes back.
import * as assert from 'node:assert/strict';
import { answerFor, estimateTokens } from '../../server';
import { InvokeBadRequestError, KimiClient, type ChatMessage } from '../../../src/kimi';
import { chatRequests, clientFor, drain, KEY, useServer } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KimiClient API methods', function () {
  this.timeout(10_000);
  const ctx = useServer({ cacheReadyAfterMs: 50 });
  let client: KimiClient;
  beforeEach(() => {
    client = clientFor(ctx.server);
  });
  afterEach(() => client.close());

  const question: ChatMessage[] = [{ role: 'user', content: 'What is 你好 in English? 😀' }];

  it('accepts base URLs with a trailing slash or without /v1', async () => {
    for (const base of [`${ctx.server.url}/`, `http://127.0.0.1:${ctx.server.port}`, `http://127.0.0.1:${ctx.server.port}/`]) {
      const c = new KimiClient({ apiKey: KEY, baseUrl: base });
      assert.equal(c.baseUrl, ctx.server.url);
      assert.ok((await c.listModels()).length > 0);
      await c.close();
    }
  });

  it('listModels returns the models with their fields', async () => {
    const models = await client.listModels();
    const m = models.find((x) => x.id === 'moonshot-v1-8k');
    assert.ok(m, 'moonshot-v1-8k listed');
    assert.equal(m.context_length, 8192);
    assert.equal(m.object, 'model');
    const req = ctx.server.requests.at(-1)!;
    assert.equal(req.method, 'GET');
    assert.equal(req.path, '/v1/models');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  });

  it('getModel returns one model, and a 404 for an unknown one', async () => {
    const m = await client.getModel('kimi-k2.5');
    assert.equal(m.id, 'kimi-k2.5');
    assert.equal(m.supports_reasoning, true);
    await assert.rejects(client.getModel('no-such-model'), (e: unknown) => {
      assert.ok(e instanceof InvokeBadRequestError);
      assert.equal(e.status, 404);
      assert.equal(e.type, 'resource_not_found_error');
      return true;
    });
  });

  it('getModel falls back to the list where the single-model route does not exist', async () => {
    ctx.server.fault({ kind: 'urlNotFound', match: '/v1/models/', times: 2 });
    const m = await client.getModel('moonshot-v1-32k');
    assert.equal(m.context_length, 32768);
    assert.deepEqual(ctx.server.requests.map((r) => r.path), ['/v1/models/moonshot-v1-32k', '/v1/models']);
    await assert.rejects(client.getModel('nope'), (e: unknown) => e instanceof InvokeBadRequestError && e.status === 404);
  });

  it('generate returns the whole answer with usage and sends the parameters', async () => {
    const res = await client.generate('moonshot-v1-8k', question, { temperature: 0.3, max_tokens: 500, headers: { 'X-Test': 'yes' } });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.choices[0]!.message.content, answerFor(question));
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    assert.equal(res.usage?.prompt_tokens, estimateTokens(question));
    const req = ctx.server.requests.at(-1)!;
    assert.deepEqual(req.body, { model: 'moonshot-v1-8k', messages: question, temperature: 0.3, max_tokens: 500, stream: false });
    assert.equal(req.headers['x-test'], 'yes');
    assert.equal(req.headers['content-type'], 'application/json');
  });

  it('generate ends with finish_reason length when max_tokens cuts the answer', async () => {
    const res = await client.generate('moonshot-v1-8k', question, { max_tokens: 5 });
    assert.equal(res.choices[0]!.finish_reason, 'length');
    assert.ok(res.choices[0]!.message.content!.length < answerFor(question).length);
  });

  it('streamGenerate yields the deltas in order and the usage on the final chunk', async () => {
    const { chunks, text, error } = await drain(client.streamGenerate('moonshot-v1-8k', question));
    assert.equal(error, undefined);
    assert.equal(text, answerFor(question));
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    const last = chunks.at(-1)!;
    assert.equal(last.choices[0]!.finish_reason, 'stop');
    // Moonshot puts usage inside the choice; the client also exposes it as chunk.usage.
    assert.ok(last.choices[0]!.usage);
    assert.equal(last.usage, last.choices[0]!.usage);
    assert.equal(last.usage!.prompt_tokens, estimateTokens(question));
    assert.equal(chunks.filter((c) => c.usage).length, 1);
    const req = ctx.server.requests.at(-1)!;
    assert.equal((req.body as { stream: boolean }).stream, true);
    assert.equal(req.headers.accept, 'text/event-stream');
  });

  it('streamGenerate exposes top-level usage (stream_options.include_usage)', async () => {
    const { chunks } = await drain(client.streamGenerate('moonshot-v1-8k', question, { stream_options: { include_usage: true } }));
    const trailer = chunks.at(-1)!;
    assert.deepEqual(trailer.choices, []);
    assert.equal(trailer.usage!.prompt_tokens, estimateTokens(question));
  });

  it('streamGenerate streams reasoning_content from a thinking model', async () => {
    const { chunks, text } = await drain(client.streamGenerate('kimi-k2-thinking', question, { temperature: 1 }));
    const reasoning = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('');
    assert.ok(reasoning.length > 0);
    assert.equal(text, answerFor(question));
  });

  it('countTokens uses the estimate endpoint, not a completion', async () => {
    const n = await client.countTokens('moonshot-v1-8k', question);
    assert.equal(n, estimateTokens(question));
    assert.equal(ctx.server.requests.at(-1)!.path, '/v1/tokenizers/estimate-token-count');
    assert.equal(chatRequests(ctx.server), 0);
    assert.deepEqual(ctx.server.requests.at(-1)!.body, { model: 'moonshot-v1-8k', messages: question });
  });

  it('countTokens leaves out empty messages, and counts nothing as 0 without a request', async () => {
    const n = await client.countTokens('moonshot-v1-8k', [{ role: 'user', content: '' }, ...question, { role: 'user', content: [] }]);
    assert.equal(n, estimateTokens(question));
    assert.deepEqual(ctx.server.requests.at(-1)!.body, { model: 'moonshot-v1-8k', messages: question });
    const before = ctx.server.requests.length;
    assert.equal(await client.countTokens('moonshot-v1-8k', [{ role: 'user', content: '' }]), 0);
    assert.equal(ctx.server.requests.length, before);
  });

  it('getBalance unwraps the {code,data,status} answer', async () => {
    const b = await client.getBalance();
    assert.equal(typeof b.available_balance, 'number');
    assert.deepEqual(b, ctx.server.state.balance);
  });

  it('creates, lists, gets, updates and deletes caches', async () => {
    const messages: ChatMessage[] = [{ role: 'system', content: 'You know the whole project.' }];
    const created = await client.createCache('moonshot-v1', messages, {
      name: 'project',
      description: 'all files',
      metadata: { project: 'alpha' },
      ttl: 600,
      tags: ['alpha-tag'],
    });
    assert.equal(created.status, 'pending');
    assert.equal(created.name, 'project');
    // The client adds a nonce of its own, to find the cache again after an ambiguous failure.
    const nonce = (ctx.server.requests.at(-1)!.body as { metadata: Record<string, string> }).metadata.kimi_vscode_nonce;
    assert.match(nonce ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(ctx.server.requests.at(-1)!.body, {
      model: 'moonshot-v1',
      messages,
      name: 'project',
      description: 'all files',
      metadata: { project: 'alpha', kimi_vscode_nonce: nonce },
      ttl: 600,
      tags: ['alpha-tag'],
    });
    const other = await client.createCache('moonshot-v1', messages, { metadata: { project: 'beta' }, expiredAt: Math.floor(Date.now() / 1000) + 300 });
    assert.ok(other.expired_at! > Date.now() / 1000);

    await sleep(80);
    const got = await client.getCache(created.id);
    assert.equal(got.status, 'ready');

    const all = await client.listCaches();
    assert.equal(all.object, 'list');
    assert.deepEqual(new Set(all.data.map((c) => c.id)), new Set([created.id, other.id]));
    const alpha = await client.listCaches({ metadata: { project: 'alpha' } });
    assert.deepEqual(alpha.data.map((c) => c.id), [created.id]);
    const page = await client.listCaches({ limit: 1, order: 'asc' });
    assert.equal(page.data.length, 1);
    const next = await client.listCaches({ limit: 1, order: 'asc', after: page.data[0]!.id });
    assert.equal(next.data.length, 1);
    assert.notEqual(next.data[0]!.id, page.data[0]!.id);
    assert.match(ctx.server.requests.at(-1)!.path, /limit=1&order=asc&after=cache-/);

    const updated = await client.updateCache(created.id, { metadata: { project: 'gamma' }, ttl: 900 });
    assert.equal(updated.status, 'pending');
    assert.deepEqual(updated.metadata, { project: 'gamma' });
    assert.deepEqual(ctx.server.requests.at(-1)!.body, { metadata: { project: 'gamma' }, ttl: 900 });

    assert.deepEqual(await client.deleteCache(other.id), { deleted: true, id: other.id, object: 'context_cache_object.deleted' });
    await assert.rejects(client.getCache(other.id), (e: unknown) => e instanceof InvokeBadRequestError && e.status === 404);
  });

  it('creates, lists, gets, reads and deletes tags', async () => {
    const cache = await client.createCache('moonshot-v1', [{ role: 'system', content: 'Tagged context.' }]);
    const tag = await client.createTag('my-tag', cache.id);
    assert.equal(tag.tag, 'my-tag');
    assert.equal(tag.cache_id, cache.id);
    assert.deepEqual(ctx.server.requests.at(-1)!.body, { tag: 'my-tag', cache_id: cache.id });
    await client.createTag('second.tag', cache.id);

    const list = await client.listTags({ limit: 10 });
    assert.deepEqual(list.data.map((t) => t.tag).sort(), ['my-tag', 'second.tag']);
    assert.equal((await client.getTag('my-tag')).cache_id, cache.id);
    const content = await client.getTagContent('my-tag');
    assert.equal(content.id, cache.id);
    assert.deepEqual(content.messages, [{ role: 'system', content: 'Tagged context.' }]);

    const deleted = await client.deleteTag('my-tag');
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.tag, 'my-tag');
    await assert.rejects(client.getTag('my-tag'), (e: unknown) => e instanceof InvokeBadRequestError && e.status === 404);
    // The platform reports success for a tag that does not exist.
    assert.equal((await client.deleteTag('never-existed')).deleted, true);
  });

  it('reports cached tokens in both spellings when a chat uses a cache', async () => {
    const system: ChatMessage[] = [{ role: 'system', content: 'A long shared context. '.repeat(40) }];
    const cache = await client.createCache('moonshot-v1', system);
    await sleep(80);
    const messages: ChatMessage[] = [{ role: 'cache', content: `cache_id=${cache.id}` }, ...question];
    const res = await client.generate('moonshot-v1-8k', messages);
    assert.ok(res.usage!.cached_tokens! > 0);
    assert.equal(res.usage!.prompt_tokens_details?.cached_tokens, res.usage!.cached_tokens);
    const { chunks } = await drain(client.streamGenerate('moonshot-v1-8k', messages));
    assert.equal(chunks.at(-1)!.usage!.cached_tokens, res.usage!.cached_tokens);
  });
});
