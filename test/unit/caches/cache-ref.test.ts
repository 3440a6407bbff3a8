// A conversation's cache reference: today's {kind, cacheId | tag} shape, and files saved by older
// versions in the {kind, id} shape still open with their cache attached.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore } from '../../../src/chat/store';
import { readCacheRef } from '../../../src/chat/validate';
import { cacheMessage } from '../../../src/shared/answer-run';
import { cacheRefName } from '../../../src/shared/conversation';

describe('cache references', () => {
  it('reads the old {kind, id} shape and today\'s shape; rejects anything else', () => {
    assert.deepEqual(readCacheRef({ kind: 'cache', id: 'cache-1', label: 'Docs' }), { kind: 'cache', cacheId: 'cache-1', label: 'Docs' });
    assert.deepEqual(readCacheRef({ kind: 'tag', id: 'team-docs' }), { kind: 'tag', tag: 'team-docs' });
    assert.deepEqual(readCacheRef({ kind: 'cache', cacheId: 'cache-2' }), { kind: 'cache', cacheId: 'cache-2' });
    assert.deepEqual(readCacheRef({ kind: 'tag', tag: 't', label: 'T' }), { kind: 'tag', tag: 't', label: 'T' });
    for (const bad of [undefined, null, 'cache-1', [], { kind: 'cache' }, { kind: 'tag', id: 3 }, { kind: 'file', id: 'x' }, { kind: 'cache', cacheId: '' }]) {
      assert.equal(readCacheRef(bad), undefined, JSON.stringify(bad));
    }
  });

  it('names and sends a tag by its tag, a cache by its id', () => {
    assert.deepEqual(cacheMessage({ kind: 'tag', tag: 'team-docs' }), { role: 'cache', content: 'tag=team-docs' });
    assert.deepEqual(cacheMessage({ kind: 'cache', cacheId: 'cache-1', label: 'Docs' }), { role: 'cache', content: 'cache_id=cache-1' });
    assert.equal(cacheRefName({ kind: 'cache', cacheId: 'cache-1', label: 'Docs' }), 'Docs');
    assert.equal(cacheRefName({ kind: 'tag', tag: 'team-docs' }), 'team-docs');
  });

  describe('conversation files', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-cache-ref-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Saves a conversation with `cache`, then rewrites its file's cache field as `saved` (an older version's file). */
    async function savedAs(cache: Parameters<ConversationStore['create']>[0], saved: string): Promise<string> {
      const store = new ConversationStore(dir);
      await store.load();
      const c = await store.create({ title: 'With docs', model: 'moonshot-v1-8k', ...cache });
      c.turns.push({ id: 't-1', role: 'user', content: 'What do the docs say?', createdAt: Date.now() });
      await store.save(c);
      await store.flush();
      const file = store.fileOf(c.id);
      const text = fs.readFileSync(file, 'utf8');
      const now = JSON.stringify(c.cache);
      assert.ok(text.includes(now), `the file holds ${now}`);
      fs.writeFileSync(file, text.replace(now, saved));
      return c.id;
    }

    async function reopen(id: string) {
      const store = new ConversationStore(dir);
      await store.load();
      return store.open(id);
    }

    it('opens a conversation saved with {kind: "cache", id} attached to that cache, turns kept', async () => {
      const id = await savedAs({ cache: { kind: 'cache', cacheId: 'x' } }, '{"kind":"cache","id":"cache-old","label":"Old docs"}');
      const read = await reopen(id);
      assert.deepEqual(read?.cache, { kind: 'cache', cacheId: 'cache-old', label: 'Old docs' });
      assert.equal(read?.model, 'moonshot-v1-8k');
      assert.deepEqual(read?.turns.map((t) => t.content), ['What do the docs say?']);
    });

    it('opens a conversation saved with {kind: "tag", id} attached to that tag', async () => {
      const id = await savedAs({ cache: { kind: 'tag', tag: 'x' } }, '{"kind":"tag","id":"team-docs"}');
      assert.deepEqual((await reopen(id))?.cache, { kind: 'tag', tag: 'team-docs' });
    });

    it('opens a conversation whose cache reference cannot be read, without the cache and with its turns', async () => {
      const id = await savedAs({ cache: { kind: 'tag', tag: 'x' } }, '{"kind":"tag","id":42}');
      const read = await reopen(id);
      assert.equal(read?.cache, undefined);
      assert.equal(read?.turns.length, 1);
    });
  });
});
