// The test server's context caches: validation, lifecycle, listing, updates, and use from chat.
import * as assert from 'node:assert/strict';
import { estimateTokens, startMockServer, type MockServer } from '../server';
import { call, eventually, sleep, stream } from './server-support';

const MESSAGES = [
  { role: 'system', content: 'You are a code reviewer.' },
  { role: 'user', content: 'Here is the whole repository: function add(a, b) { return a + b; }' },
];

describe('test server: context caches', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ cacheReadyAfterMs: 150 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const create = (body: Record<string, unknown> = {}) =>
    call(server, 'POST', '/v1/caching', { model: 'moonshot-v1', messages: MESSAGES, ...body });
  const statusOf = async (id: string) => (await call(server, 'GET', `/v1/caching/${id}`)).json.status;

  it('creates a pending cache that becomes ready after cacheReadyAfterMs', async () => {
    const before = Math.floor(Date.now() / 1000);
    const reply = await create({ name: 'repo', description: 'the repo', metadata: { project: 'kimi' }, ttl: 600 });
    assert.equal(reply.status, 200);
    const cache = reply.json;
    assert.match(cache.id, /^cache-[a-z0-9]{20}$/);
    assert.equal(cache.object, 'context_cache_object');
    assert.equal(cache.model, 'moonshot-v1');
    assert.equal(cache.status, 'pending');
    assert.equal(cache.name, 'repo');
    assert.equal(cache.description, 'the repo');
    assert.deepEqual(cache.metadata, { project: 'kimi' });
    assert.deepEqual(cache.messages, MESSAGES);
    assert.equal(cache.tokens, estimateTokens(MESSAGES as never));
    assert.ok(cache.created_at >= before);
    assert.ok(cache.expired_at >= before + 600 && cache.expired_at <= before + 601);
    assert.equal(await statusOf(cache.id), 'pending');
    await sleep(200);
    assert.equal(await statusOf(cache.id), 'ready');
    assert.equal(server.caches.get(cache.id)?.status, 'ready');
  });

  it('defaults the expiry to one hour', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { json } = await create();
    assert.ok(json.expired_at >= now + 3600 && json.expired_at <= now + 3601);
  });

  it('turns inactive once expired', async () => {
    const { json } = await create({ ttl: 1 });
    assert.ok(await eventually(async () => (await statusOf(json.id)) === 'inactive', 3000));
  });

  it('accepts expired_at within the hour', async () => {
    const at = Math.floor(Date.now() / 1000) + 120;
    const { status, json } = await create({ expired_at: at });
    assert.equal(status, 200);
    assert.equal(json.expired_at, at);
  });

  it('rejects invalid caches with invalid_request_error', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    const cases: Array<[string, Record<string, unknown>]> = [
      ['another family', { model: 'kimi-k2.5' }],
      ['a full model name', { model: 'moonshot-v1-8k' }],
      ['no messages', { messages: [] }],
      ['empty content', { messages: [{ role: 'user', content: '' }] }],
      ['a partial message', { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y', partial: true }] }],
      ['a cache message', { messages: [{ role: 'cache', content: 'cache_id=x' }] }],
      ['a tool message without its call', { messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'f:0', content: 'y' }] }],
      ['ttl over an hour', { ttl: 3601 }],
      ['a negative ttl', { ttl: -5 }],
      ['ttl and expired_at', { ttl: 60, expired_at: now + 60 }],
      ['expired_at in the past', { expired_at: now - 10 }],
      ['expired_at over an hour ahead', { expired_at: now + 4000 }],
      ['17 metadata pairs', { metadata: tooMany }],
      ['a long metadata key', { metadata: { ['k'.repeat(65)]: 'v' } }],
      ['a long metadata value', { metadata: { k: 'v'.repeat(513) } }],
      ['a non-string metadata value', { metadata: { k: 1 } }],
      ['a bad tag', { tags: ['1abc'] }],
      ['a long name', { name: 'n'.repeat(257) }],
    ];
    for (const [what, body] of cases) {
      const reply = await create(body);
      assert.equal(reply.status, 400, what);
      assert.equal(reply.json.error.type, 'invalid_request_error', what);
    }
    assert.equal(server.caches.size, 0);
    const ok = await create({ metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])), ttl: 3600 });
    assert.equal(ok.status, 200);
  });

  it('lists newest first, pages with limit/after/before and order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ name: `c${i}` })).json.id);
    const list = (query: string) => call(server, 'GET', `/v1/caching${query}`);
    const all = await list('');
    assert.equal(all.json.object, 'list');
    assert.deepEqual(all.json.data.map((c: { id: string }) => c.id), [...ids].reverse());
    const page1 = await list('?limit=2');
    assert.deepEqual(page1.json.data.map((c: { id: string }) => c.id), [ids[4], ids[3]]);
    const page2 = await list(`?limit=2&after=${ids[3]}`);
    assert.deepEqual(page2.json.data.map((c: { id: string }) => c.id), [ids[2], ids[1]]);
    const page3 = await list(`?limit=2&after=${ids[1]}`);
    assert.deepEqual(page3.json.data.map((c: { id: string }) => c.id), [ids[0]]);
    const asc = await list('?order=asc&limit=3');
    assert.deepEqual(asc.json.data.map((c: { id: string }) => c.id), ids.slice(0, 3));
    const before = await list(`?order=asc&before=${ids[3]}&limit=2`);
    assert.deepEqual(before.json.data.map((c: { id: string }) => c.id), [ids[1], ids[2]]);
    assert.deepEqual((await list('?after=cache-unknown')).json.data, []);
    assert.equal((await list('?limit=0')).status, 400);
    assert.equal((await list('?order=sideways')).status, 400);
  });

  it('filters by metadata[key]=value', async () => {
    const a = (await create({ metadata: { project: 'a', owner: 'me' } })).json.id;
    const b = (await create({ metadata: { project: 'b', owner: 'me' } })).json.id;
    await create();
    const ids = async (query: string) => (await call(server, 'GET', `/v1/caching?${query}`)).json.data.map((c: { id: string }) => c.id);
    assert.deepEqual(await ids('metadata[project]=a'), [a]);
    assert.deepEqual(await ids('metadata[owner]=me'), [b, a]);
    assert.deepEqual(await ids('metadata[owner]=me&metadata[project]=b'), [b]);
    assert.deepEqual(await ids(encodeURI('metadata[project]=none')), []);
  });

  it('updates metadata and expiry and goes back to pending', async () => {
    const { json } = await create({ metadata: { a: '1' } });
    await sleep(200);
    assert.equal(await statusOf(json.id), 'ready');
    const now = Math.floor(Date.now() / 1000);
    const updated = await call(server, 'PUT', `/v1/caching/${json.id}`, { metadata: { b: '2' }, ttl: 100 });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.status, 'pending');
    assert.deepEqual(updated.json.metadata, { b: '2' });
    assert.ok(updated.json.expired_at >= now + 100 && updated.json.expired_at <= now + 101);
    await sleep(200);
    assert.equal(await statusOf(json.id), 'ready');
    const bad = await call(server, 'PUT', `/v1/caching/${json.id}`, { ttl: 10, expired_at: now + 10 });
    assert.equal(bad.status, 400);
    const tooLong = await call(server, 'PUT', `/v1/caching/${json.id}`, { ttl: 7200 });
    assert.equal(tooLong.status, 400);
  });

  it('deletes, and answers unknown ids with 404 in the usual error body', async () => {
    const { json } = await create();
    const deleted = await call(server, 'DELETE', `/v1/caching/${json.id}`);
    assert.deepEqual(deleted.json, { deleted: true, id: json.id, object: 'context_cache_object.deleted' });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await call(server, method, `/v1/caching/${json.id}`, method === 'PUT' ? { ttl: 10 } : undefined);
      assert.equal(reply.status, 404, method);
      assert.equal(reply.json.error.type, 'resource_not_found_error');
      assert.match(reply.json.error.message, new RegExp(json.id));
    }
  });

  describe('use from chat', () => {
    const ready = async (body: Record<string, unknown> = {}) => {
      const { json } = await create(body);
      await sleep(200);
      return json;
    };
    const chat = (messages: unknown[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      call(server, 'POST', '/v1/chat/completions', { model: 'moonshot-v1-32k', messages, ...extra }, headers);
    const question = { role: 'user', content: 'What does add do?' };

    it('expands a cache_id message and reports cached tokens', async () => {
      const cache = await ready();
      const reply = await chat([{ role: 'cache', content: `cache_id=${cache.id}` }, question]);
      assert.equal(reply.status, 200);
      const usage = reply.json.usage;
      assert.equal(usage.prompt_tokens, estimateTokens([...MESSAGES, question] as never));
      assert.equal(usage.cached_tokens, cache.tokens);
      assert.equal(usage.prompt_tokens_details.cached_tokens, cache.tokens);
      assert.equal(reply.headers.get('msh-context-cache-id'), cache.id);
      assert.equal(reply.headers.get('msh-context-cache-token-saved'), String(cache.tokens));
      assert.equal(reply.headers.get('msh-context-cache-token-exp'), String(cache.expired_at));
      // The answer sees the cached conversation: message 3 of it.
      assert.match(reply.json.choices[0].message.content, /message 3 of this conversation/);
    });

    it('reports cached tokens in the streamed usage too', async () => {
      const cache = await ready();
      const result = await stream(server, { model: 'moonshot-v1-8k', messages: [{ role: 'cache', content: `cache_id=${cache.id}` }, question] });
      const finishing = result.events[result.events.length - 1];
      assert.equal(finishing.choices[0].usage.cached_tokens, cache.tokens);
    });

    it('resolves a tag, and resets the TTL from now', async () => {
      const cache = await ready({ tags: ['repo'], ttl: 60 });
      const now = Math.floor(Date.now() / 1000);
      const reply = await chat([{ role: 'cache', content: 'tag=repo;reset_ttl=900' }, question]);
      assert.equal(reply.json.usage.cached_tokens, cache.tokens);
      const after = server.caches.get(cache.id);
      assert.ok(after?.expired_at !== undefined && after.expired_at >= now + 900 && after.expired_at <= now + 901);
    });

    it('still answers from a pending cache, without savings', async () => {
      const { json } = await create();
      const reply = await chat([{ role: 'cache', content: `cache_id=${json.id}` }, question]);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.usage.cached_tokens, undefined);
      assert.equal(reply.headers.get('msh-context-cache-token-saved'), '0');
    });

    it('brings an expired cache back through pending with reset_ttl', async () => {
      const { json } = await create({ ttl: 1 });
      assert.ok(await eventually(async () => (await statusOf(json.id)) === 'inactive', 3000));
      await chat([{ role: 'cache', content: `cache_id=${json.id};reset_ttl=300` }, question]);
      assert.equal(await statusOf(json.id), 'pending');
      await sleep(200);
      assert.equal(await statusOf(json.id), 'ready');
    });

    it('answers a dry run without inference', async () => {
      const cache = await ready();
      const reply = await chat([{ role: 'cache', content: `cache_id=${cache.id};dry_run=1` }, question]);
      assert.equal(reply.json.choices[0].message.content, '');
      assert.equal(reply.json.usage.completion_tokens, 0);
      assert.equal(reply.json.usage.cached_tokens, cache.tokens);
    });

    it('rejects a misplaced or malformed cache message', async () => {
      const cache = await ready();
      const cases: Array<[string, unknown[], Record<string, unknown>]> = [
        ['not first', [question, { role: 'cache', content: `cache_id=${cache.id}` }], {}],
        ['trailing ;', [{ role: 'cache', content: `cache_id=${cache.id};` }, question], {}],
        ['with tools', [{ role: 'cache', content: `cache_id=${cache.id}` }, question], { tools: [] }],
        ['both id and tag', [{ role: 'cache', content: `cache_id=${cache.id};tag=x` }, question], {}],
        ['reset_ttl too long', [{ role: 'cache', content: `cache_id=${cache.id};reset_ttl=5000` }, question], {}],
      ];
      for (const [what, messages, extra] of cases) {
        const reply = await chat(messages, extra);
        assert.equal(reply.status, 400, what);
        assert.equal(reply.json.error.type, 'invalid_request_error', what);
      }
      const unknown = await chat([{ role: 'cache', content: 'cache_id=cache-nope' }, question]);
      assert.equal(unknown.status, 404);
      const unknownTag = await chat([{ role: 'cache', content: 'tag=nope' }, question]);
      assert.equal(unknownTag.status, 404);
    });

    it('hits through X-Msh-Context-Cache only when the leading messages match', async () => {
      const cache = await ready();
      const hit = await chat([...MESSAGES, question], {}, { 'X-Msh-Context-Cache': cache.id });
      assert.equal(hit.json.usage.cached_tokens, cache.tokens);
      const edited = [{ ...MESSAGES[0], content: 'You are a poet.' }, MESSAGES[1], question];
      const miss = await chat(edited, {}, { 'X-Msh-Context-Cache': cache.id });
      assert.equal(miss.status, 200);
      assert.equal(miss.json.usage.cached_tokens, undefined);
      const now = Math.floor(Date.now() / 1000);
      await chat([...MESSAGES, question], {}, { 'X-Msh-Context-Cache': cache.id, 'X-Msh-Context-Cache-Reset-TTL': '120' });
      assert.ok((server.caches.get(cache.id)?.expired_at ?? 0) <= now + 121);
    });
  });
});
