// The test server's cache tags: naming rules, binding, listing, content, deletion.
import * as assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '../server';
import { call } from './server-support';

describe('test server: cache tags', () => {
  let server: MockServer;
  let cacheId: string;
  let otherId: string;
  before(async () => {
    server = await startMockServer({ cacheReadyAfterMs: 0 });
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    const make = async () =>
      (await call(server, 'POST', '/v1/caching', { model: 'moonshot-v1', messages: [{ role: 'user', content: 'doc' }] })).json.id;
    cacheId = await make();
    otherId = await make();
  });

  const tag = (name: unknown, id = cacheId) => call(server, 'POST', '/v1/caching/refs/tags', { tag: name, cache_id: id });

  it('binds a tag to a cache', async () => {
    const before = Math.floor(Date.now() / 1000);
    const reply = await tag('my-tag');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.tag, 'my-tag');
    assert.equal(reply.json.cache_id, cacheId);
    assert.equal(reply.json.object, 'cache_object.tag');
    assert.equal(typeof reply.json.owned_by, 'string');
    assert.ok(reply.json.created_at >= before);
    assert.deepEqual((await call(server, 'GET', '/v1/caching/refs/tags/my-tag')).json, reply.json);
    assert.equal(server.tags.get('my-tag')?.cache_id, cacheId);
  });

  it('enforces the tag name rules', async () => {
    for (const name of ['', '1abc', '_x', 'has space', 'a/b', 'x'.repeat(129), 42]) {
      const reply = await tag(name);
      assert.equal(reply.status, 400, JSON.stringify(name));
      assert.equal(reply.json.error.type, 'invalid_request_error');
    }
    for (const name of ['a', 'tom', 'My_Tag-1.2', 'x'.repeat(128)]) assert.equal((await tag(name)).status, 200, name);
  });

  it('refuses a tag for an unknown cache', async () => {
    const reply = await tag('orphan', 'cache-unknown');
    assert.equal(reply.status, 404);
    assert.equal(reply.json.error.type, 'resource_not_found_error');
  });

  it('re-binds an existing tag to another cache', async () => {
    await tag('stable');
    await tag('stable', otherId);
    assert.equal((await call(server, 'GET', '/v1/caching/refs/tags/stable')).json.cache_id, otherId);
    assert.equal(server.tags.size, 1);
  });

  it('binds tags given at cache creation', async () => {
    const created = await call(server, 'POST', '/v1/caching', {
      model: 'moonshot-v1', messages: [{ role: 'user', content: 'doc' }], tags: ['one', 'two'],
    });
    for (const name of ['one', 'two']) {
      assert.equal((await call(server, 'GET', `/v1/caching/refs/tags/${name}`)).json.cache_id, created.json.id);
    }
  });

  it('lists tags newest first, paging by tag name', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4']) await tag(name);
    const names = async (query: string) =>
      (await call(server, 'GET', `/v1/caching/refs/tags${query}`)).json.data.map((t: { tag: string }) => t.tag);
    const all = await call(server, 'GET', '/v1/caching/refs/tags');
    assert.equal(all.json.object, 'list');
    assert.deepEqual(await names(''), ['a4', 'a3', 'a2', 'a1']);
    assert.deepEqual(await names('?limit=2'), ['a4', 'a3']);
    assert.deepEqual(await names('?limit=2&after=a3'), ['a2', 'a1']);
    assert.deepEqual(await names('?order=asc&after=a1&limit=2'), ['a2', 'a3']);
    assert.deepEqual(await names('?order=asc&before=a4'), ['a1', 'a2', 'a3']);
  });

  it('serves the tagged cache as its content', async () => {
    await tag('content');
    const content = await call(server, 'GET', '/v1/caching/refs/tags/content/content');
    assert.equal(content.status, 200);
    assert.deepEqual(content.json, (await call(server, 'GET', `/v1/caching/${cacheId}`)).json);
    await call(server, 'DELETE', `/v1/caching/${cacheId}`);
    assert.equal((await call(server, 'GET', '/v1/caching/refs/tags/content/content')).status, 404);
  });

  it('deletes a tag, and succeeds even when it does not exist', async () => {
    await tag('gone');
    const deleted = await call(server, 'DELETE', '/v1/caching/refs/tags/gone');
    assert.deepEqual(deleted.json, { deleted: true, object: 'cache_object.tag.deleted', tag: 'gone' });
    const missing = await call(server, 'GET', '/v1/caching/refs/tags/gone');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.type, 'resource_not_found_error');
    const again = await call(server, 'DELETE', '/v1/caching/refs/tags/never-was');
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, { deleted: true, object: 'cache_object.tag.deleted', tag: 'never-was' });
  });
});
