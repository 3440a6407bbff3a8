// The Context Caches tree and its commands inside a real extension host, against the test server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MockServer } from '../server';
import type { KimiApi } from '../../src/extension';
import type { CacheNode } from '../../src/caches/tree';
import type { ContextCache } from '../../src/kimi/types';
import { BACK, connectToTestServer, disconnect, kimiApi, scripted, waitFor, withPrompts } from './shell-support';

type CacheRow = CacheNode & { kind: 'cache' };

describe('shell: context caches tree', () => {
  let api: KimiApi;
  let server: MockServer;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
  });

  after(async () => {
    api.caches.model.pageSize = 20;
    await disconnect(api, server);
  });

  beforeEach(async () => {
    server.reset();
    await api.caches.model.refresh();
  });

  async function makeCache(name: string, tags: string[] = []): Promise<ContextCache> {
    const client = await api.kimi.requireClient();
    return client.createCache('moonshot-v1', [{ role: 'system', content: `Content of ${name}` }], { name, ttl: 600, tags });
  }

  async function rows(): Promise<CacheNode[]> {
    await api.caches.model.refresh();
    return api.caches.tree.getChildren();
  }

  const cacheRow = async (id: string) => (await rows()).find((n): n is CacheRow => n.kind === 'cache' && n.cache.id === id);

  it('lists the caches from the server with their tags as children', async () => {
    const a = await makeCache('alpha', ['alpha-tag']);
    const b = await makeCache('beta');
    const top = await rows();
    const names = top.filter((n): n is CacheRow => n.kind === 'cache').map((n) => n.cache.name).sort();
    assert.deepEqual(names, ['alpha', 'beta']);
    const rowA = top.find((n): n is CacheRow => n.kind === 'cache' && n.cache.id === a.id)!;
    const item = api.caches.tree.getTreeItem(rowA);
    assert.equal(item.label, 'alpha');
    assert.equal(item.contextValue, 'cache');
    assert.match(String(item.description), /^(pending|ready) · \d[\d,]* tokens · expires in (9|10) min$/);
    assert.match((item.tooltip as vscode.MarkdownString).value, new RegExp(a.id));
    const children = await api.caches.tree.getChildren(rowA);
    assert.deepEqual(children.map((c) => c.kind === 'tag' && c.tag.tag), ['alpha-tag']);
    assert.equal(api.caches.tree.getTreeItem(children[0]).contextValue, 'tag');
    assert.deepEqual(await api.caches.tree.getChildren((await cacheRow(b.id))!), []);
  });

  it('refreshes itself while a cache is pending, until it is ready', async () => {
    const a = await makeCache('pending-one');
    const first = await cacheRow(a.id);
    assert.equal(first?.cache.status, 'pending');
    await waitFor(() => api.caches.model.caches.find((c) => c.id === a.id)?.status === 'ready', 'the tree to show the cache ready', 8000);
  });

  it('creates a cache from a {messages} argument after showing the token count', async () => {
    const { dialogs, shown } = scripted(['From conversation', 'a test cache', '900']);
    const cache = await withPrompts(api, dialogs, () =>
      vscode.commands.executeCommand<ContextCache | undefined>('kimi.caches.create', { messages: [{ role: 'user', content: 'Remember: the answer is 42.' }], name: 'Conversation' }),
    );
    assert.ok(cache, `not created: ${shown.error.join('; ')}`);
    assert.equal(shown.inputs[0].value, 'Conversation');
    // A normal question, not a warning.
    assert.deepEqual(shown.confirms, []);
    assert.match(shown.questions[0], /Create a context cache of \d+ tokens\?/);
    const stored = server.caches.get(cache.id);
    assert.equal(stored?.name, 'From conversation');
    assert.equal(stored?.description, 'a test cache');
    assert.equal(stored?.model, 'moonshot-v1');
    assert.ok(Math.abs(stored!.expired_at! - (Date.now() / 1000 + 900)) < 30);
    assert.ok(server.requests.some((r) => r.path === '/v1/tokenizers/estimate-token-count'), 'counted before creating');
    assert.ok(api.caches.model.caches.some((c) => c.id === cache.id), 'the tree shows it');
  });

  const CONTENT = { messages: [{ role: 'user', content: 'Remember: the answer is 42.' }], name: 'Conversation' };
  /** Requests that count tokens or change something (listing models before the input is fine). */
  const writes = (from: number) => server.requests.slice(from).filter((r) => r.method !== 'GET');

  it('Create Context Cache is one input in three steps; Back returns to the previous step with its value', async () => {
    const { dialogs, shown } = scripted([
      'first name',
      BACK,
      (o) => (o.value === 'first name' ? 'second name' : `step 1 lost its value: ${o.value}`),
      'first description',
      '60',
    ]);
    const cache = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.create', CONTENT));
    assert.ok(cache, shown.error.join('; '));
    assert.deepEqual(shown.inputs.map((o) => `${o.step}/${o.totalSteps}`), ['1/3', '2/3', '1/3', '2/3', '3/3']);
    assert.match(shown.inputs[0].title ?? '', /Create Context Cache/);
    assert.equal(shown.inputs[4].value, '3600', 'the TTL step suggests the longest time to live');
    const stored = server.caches.get(cache.id);
    assert.equal(stored?.name, 'second name');
    assert.equal(stored?.description, 'first description');

    // Back from the last step keeps what was typed in the step before.
    const again = scripted(['n', 'kept description', BACK, (o) => (o.value === 'kept description' ? o.value : 'lost'), '120']);
    const second = await withPrompts(api, again.dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.create', CONTENT));
    assert.deepEqual(again.shown.inputs.map((o) => o.step), [1, 2, 3, 2, 3]);
    assert.equal(server.caches.get(second!.id)?.description, 'kept description');
  });

  for (const step of [1, 2, 3]) {
    it(`Escape at step ${step} of Create Context Cache cancels without a request`, async () => {
      const answers = ['name', 'description', '60'].slice(0, step - 1);
      const { dialogs, shown } = scripted([...answers, undefined]);
      const before = server.requests.length;
      const result = await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.create', CONTENT));
      assert.equal(result, undefined);
      assert.deepEqual(shown.inputs.map((o) => `${o.step}/${o.totalSteps}`), ['1/3', '2/3', '3/3'].slice(0, step));
      assert.deepEqual(writes(before).map((r) => r.path), []);
      assert.deepEqual([...shown.error, ...shown.info, ...shown.questions], [], 'nothing said: the user cancelled');
      assert.equal(server.caches.size, 0);
    });
  }

  it('Create Context Cache validates each step as typed, and asks again for an invalid answer', async () => {
    const messages: Array<string | undefined> = [];
    const check = (o: vscode.InputBoxOptions, ...values: string[]) => {
      for (const v of values) messages.push(o.validateInput?.(v) as string | undefined);
    };
    const { dialogs, shown } = scripted([
      (o) => (check(o, 'x'.repeat(257), 'fine'), 'n'),
      (o) => (check(o, 'x'.repeat(513), ''), ''),
      (o) => (check(o, 'abc', '0', '3601', '60'), '0'),
      '90',
    ]);
    const before = server.requests.length;
    const cache = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.create', CONTENT));
    assert.deepEqual(messages.map((m) => typeof m === 'string' && m.length > 0), [true, false, true, false, true, true, true, false]);
    assert.deepEqual(shown.inputs.map((o) => o.step), [1, 2, 3, 3]);
    assert.ok(cache);
    const created = writes(before).filter((r) => r.method === 'POST' && r.path === '/v1/caching');
    assert.equal(created.length, 1, 'one cache created, with the valid TTL');
    assert.equal((created[0].body as { ttl?: number }).ttl, 90);
  });

  it('creates a cache from the active editor\'s selection', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'line one\nselected part\nline three', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 13);
    const { dialogs } = scripted([undefined]);
    // Cancelling at the first question creates nothing.
    assert.equal(await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.create')), undefined);
    const answered = scripted([(o) => o.value, '', '60']);
    const cache = await withPrompts(api, answered.dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.create'));
    assert.match(answered.shown.inputs[0].value ?? '', /selection/);
    const content = JSON.stringify(server.caches.get(cache!.id)?.messages);
    assert.match(content, /selected part/);
    assert.doesNotMatch(content, /line three/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('creates one cache from files chosen in the Explorer', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const a = vscode.Uri.joinPath(folder, 'cache-src', 'alpha.md');
    const b = vscode.Uri.joinPath(folder, 'cache-src', 'beta.py');
    await vscode.workspace.fs.writeFile(a, Buffer.from('# Alpha notes\n'));
    await vscode.workspace.fs.writeFile(b, Buffer.from('def beta():\n    return 2\n'));
    try {
      const { dialogs, shown } = scripted([(o) => o.value, '', '60']);
      const cache = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.createFromFiles', a, [a, b]));
      assert.ok(cache, shown.error.join('; '));
      assert.equal(shown.inputs[0].value, 'alpha.md and 1 more');
      const messages = server.caches.get(cache.id)!.messages!;
      assert.equal(messages.length, 2);
      assert.match(String(messages[0].content), /cache-src\/alpha\.md[\s\S]*# Alpha notes/);
      assert.match(String(messages[1].content), /def beta/);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'cache-src'), { recursive: true });
    }
  });

  it('Update TTL changes the expiry on the server', async () => {
    const a = await makeCache('ttl');
    const row = await cacheRow(a.id);
    const { dialogs, shown } = scripted(['120']);
    const updated = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.updateTtl', row));
    assert.ok(updated);
    assert.match(shown.inputs[0].prompt ?? '', /expires in (9|10) min/);
    const expected = Date.now() / 1000 + 120;
    assert.ok(Math.abs(server.caches.get(a.id)!.expired_at! - expected) < 5, 'server expiry is now + 120 s');
    assert.ok(server.requests.some((r) => r.method === 'PUT' && r.path === `/v1/caching/${a.id}` && (r.body as { ttl?: number }).ttl === 120));
  });

  it('refuses an invalid TTL with a message and sends nothing', async () => {
    const a = await makeCache('bad-ttl');
    const row = await cacheRow(a.id);
    const messages: Array<string | undefined> = [];
    const { dialogs, shown } = scripted([
      (o) => {
        for (const v of ['abc', '0', '-5', '3601', '1.5']) messages.push(o.validateInput?.(v) as string | undefined);
        return '99999';
      },
    ]);
    const before = server.caches.get(a.id)!.expired_at;
    const result = await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.updateTtl', row));
    assert.equal(result, undefined);
    assert.ok(messages.every((m) => typeof m === 'string' && m.length > 0), `every invalid value has a message: ${JSON.stringify(messages)}`);
    assert.match(shown.error[0], /3600/);
    assert.equal(server.caches.get(a.id)!.expired_at, before);
    assert.ok(!server.requests.some((r) => r.method === 'PUT'));
  });

  it('picks the cache from a quick pick when run from the palette', async () => {
    const a = await makeCache('palette');
    const { dialogs } = scripted(['300']);
    dialogs.pick = async <T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>) =>
      (await items).find((i) => (i as T & { cache?: ContextCache }).cache?.id === a.id);
    const updated = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<ContextCache>('kimi.caches.updateTtl'));
    assert.equal(updated?.id, a.id);
  });

  it('edits metadata', async () => {
    const a = await makeCache('meta');
    const { dialogs } = scripted(['project=kimi, owner=tests']);
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.editMetadata', { kind: 'cache', cache: a }));
    assert.deepEqual(server.caches.get(a.id)?.metadata, { project: 'kimi', owner: 'tests' });
  });

  it('adds a validated tag and deletes it', async () => {
    const a = await makeCache('tagged');
    const { dialogs, shown } = scripted([(o) => (o.validateInput?.('1bad') ? 'good-tag' : 'validation missing')]);
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.addTag', { kind: 'cache', cache: a }));
    assert.deepEqual(shown.error, []);
    assert.equal(server.tags.get('good-tag')?.cache_id, a.id);
    const tagRow = (await api.caches.tree.getChildren((await cacheRow(a.id))!))[0];
    assert.equal(tagRow.kind === 'tag' && tagRow.tag.tag, 'good-tag');
    const doc = await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand<vscode.TextEditor>('kimi.tags.openContent', tagRow));
    assert.match(doc!.document.getText(), new RegExp(a.id));
    await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand('kimi.tags.delete', tagRow));
    assert.equal(server.tags.has('good-tag'), false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens a cache read-only with its messages', async () => {
    const a = await makeCache('open-me');
    const editor = await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand<vscode.TextEditor>('kimi.caches.open', { kind: 'cache', cache: a }));
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'kimi-cache');
    const shown = JSON.parse(editor.document.getText()) as ContextCache;
    assert.equal(shown.id, a.id);
    assert.equal(shown.messages?.[0].content, 'Content of open-me');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('deletes a cache after confirmation', async () => {
    const a = await makeCache('doomed');
    const row = await cacheRow(a.id);
    const refused = scripted([], false);
    assert.equal(await withPrompts(api, refused.dialogs, () => vscode.commands.executeCommand('kimi.caches.delete', row)), false);
    assert.ok(server.caches.has(a.id), 'not deleted without confirmation');
    const { dialogs } = scripted([]);
    assert.equal(await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.delete', row)), true);
    assert.equal(server.caches.has(a.id), false);
    assert.equal(await cacheRow(a.id), undefined);
  });

  it('drops a cache deleted elsewhere on refresh, and says so once when a command hits it', async () => {
    const a = await makeCache('vanishing');
    const row = await cacheRow(a.id);
    server.caches.delete(a.id);
    const { dialogs, shown } = scripted(['100']);
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.updateTtl', row));
    assert.deepEqual(shown.error, [], 'no error for a cache that is simply gone');
    assert.equal(shown.info.length, 1);
    assert.equal(await cacheRow(a.id), undefined);
  });

  it('pages with a Load more row', async () => {
    api.caches.model.pageSize = 2;
    api.caches.model.reset();
    try {
      for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await makeCache(n);
      const first = await rows();
      assert.equal(first.filter((n) => n.kind === 'cache').length, 2);
      assert.equal(first.at(-1)?.kind, 'loadMore');
      await vscode.commands.executeCommand('kimi.caches.loadMore');
      await vscode.commands.executeCommand('kimi.caches.loadMore');
      const all = await api.caches.tree.getChildren();
      assert.equal(all.filter((n) => n.kind === 'cache').length, 5);
      assert.ok(!all.some((n) => n.kind === 'loadMore'));
      // A refresh keeps everything loaded so far.
      assert.equal((await rows()).filter((n) => n.kind === 'cache').length, 5);
    } finally {
      api.caches.model.pageSize = 20;
      api.caches.model.reset();
    }
  });

  it('shows one problem row (not an error storm) when the server fails, and recovers', async () => {
    const { dialogs, shown } = scripted([]);
    await withPrompts(api, dialogs, async () => {
      server.fault({ kind: 'status', status: 401, match: '/v1/caching', times: 20 });
      const top = await rows();
      assert.equal(top.length, 1);
      assert.equal(top[0].kind, 'problem');
      await api.caches.tree.getChildren();
      server.reset();
      const again = await rows();
      assert.ok(again.every((n) => n.kind !== 'problem'));
    });
    assert.equal(shown.error.length, 1);
    assert.match(shown.error[0], /Invalid Authentication/);
  });

  it('edits metadata whose values contain commas (as JSON)', async () => {
    const a = await makeCache('meta-commas');
    const first = scripted(['{"team": "search, ranking", "owner": "me"}']);
    await withPrompts(api, first.dialogs, () => vscode.commands.executeCommand('kimi.caches.editMetadata', { kind: 'cache', cache: a }));
    assert.deepEqual(first.shown.error, []);
    assert.deepEqual(server.caches.get(a.id)?.metadata, { team: 'search, ranking', owner: 'me' });
    // Edited again: the box shows JSON that reads back to the same values.
    const updated = (await cacheRow(a.id))!.cache;
    const again = scripted([(o) => o.value]);
    await withPrompts(api, again.dialogs, () => vscode.commands.executeCommand('kimi.caches.editMetadata', { kind: 'cache', cache: updated }));
    assert.deepEqual(server.caches.get(a.id)?.metadata, { team: 'search, ranking', owner: 'me' });
  });

  it('reports an unknown-route 404 (wrong base URL) as what it is, not as a cache gone', async () => {
    const a = await makeCache('wrong-url');
    const row = await cacheRow(a.id);
    server.fault({ kind: 'urlNotFound', match: '/v1/caching/' });
    const { dialogs, shown } = scripted(['100']);
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.updateTtl', row));
    assert.deepEqual(shown.info, [], 'not "no longer exists"');
    assert.equal(shown.error.length, 1);
    assert.match(shown.error[0], /no route PUT \/v1\/caching\/.*Check the base URL/);
    assert.ok(server.caches.has(a.id));
  });

  for (const status of [404, 400, 403] as const) {
    it(`says "not available" in the view, without error toasts, when /v1/caching answers ${status}`, async () => {
      const { dialogs, shown } = scripted([]);
      await withPrompts(api, dialogs, async () => {
        server.state.cachingUnavailable = status;
        try {
          assert.deepEqual(await rows(), [], 'an empty tree shows the view\'s welcome');
          assert.equal(api.caches.model.unavailable, true);
          await rows();
          await vscode.commands.executeCommand('kimi.caches.refresh');
          // Commands still run and say the same.
          assert.equal(await vscode.commands.executeCommand('kimi.caches.updateTtl'), undefined);
          assert.equal(await vscode.commands.executeCommand('kimi.caches.create', { messages: [{ role: 'user', content: 'x' }] }), undefined);
        } finally {
          server.state.cachingUnavailable = undefined;
        }
        await rows();
        assert.equal(api.caches.model.unavailable, false);
      });
      assert.deepEqual(shown.error, []);
      assert.ok(shown.info.length >= 2 && shown.info.every((m) => /Context caching is not available for this account or platform/.test(m)), JSON.stringify(shown.info));
    });
  }

  it('a wrong base URL (every route unknown) stays an error, not "not available"', async () => {
    const { dialogs, shown } = scripted([]);
    await withPrompts(api, dialogs, async () => {
      server.fault({ kind: 'urlNotFound', times: 5 });
      const top = await rows();
      assert.equal(top[0]?.kind, 'problem');
      assert.equal(api.caches.model.unavailable, false);
      server.reset();
      await rows();
    });
    assert.equal(shown.error.length, 1);
    assert.match(shown.error[0], /Check the base URL/);
  });

  it('offers caches only for the listed models that can create them', async () => {
    const { dialogs, shown } = scripted(['n', '', '600'], false);
    const before = server.requests.length;
    await withPrompts(api, dialogs, () => vscode.commands.executeCommand('kimi.caches.create', { messages: [{ role: 'user', content: 'Remember 42.' }] }));
    const count = server.requests.slice(before).find((r) => r.path === '/v1/tokenizers/estimate-token-count')!.body as { model: string };
    assert.equal(count.model, 'moonshot-v1-128k', 'counted with the largest cache model listed');
    const detail = shown.questions[0].split('\n')[1];
    assert.match(detail, /^Usable by moonshot-v1-128k, moonshot-v1-auto, moonshot-v1-32k, moonshot-v1-8k \(/);
    assert.ok(!/vision|kimi-k2/.test(detail), detail);
  });
});
