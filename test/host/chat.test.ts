// The chat panel's host side in a real extension host, against the test server: streaming and
// saving turns, Stop, a dropped connection, errors with next steps, reloads, caches.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import type { ChatController } from '../../src/chat/controller';
import type { Conversation, HostMessage } from '../../src/chat/protocol';
import { toApiMessages } from '../../src/shared/answer-run';
import { ConversationStore } from '../../src/chat/store';
import type { ChatViewProvider } from '../../src/chat/view';
import { answerFor, type MockServer } from '../server';

/** Faults apply to chat requests only (the status bar and the cache tree make requests too). */
const CHAT = '/v1/chat/completions';
import { chatApi, recordPosts, sleep } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, scripted, setUserSetting, waitFor, withPrompts } from './shell-support';

function chatRequests(server: MockServer) {
  return server.requests.filter((r) => r.path === '/v1/chat/completions');
}

function readConversation(controller: ChatController, id: string): Conversation {
  return JSON.parse(fs.readFileSync(path.join(controller.store.dir, `${id}.json`), 'utf8')) as Conversation;
}

describe('chat: host side in a real extension host', () => {
  let api: KimiApi;
  let server: MockServer;
  let controller: ChatController;
  let provider: ChatViewProvider;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    ({ controller, provider } = await chatApi());
    // A dropped connection is noticed by the idle timeout at the latest: keep it short here.
    await setUserSetting('kimi.requestTimeout', 3, () => api.kimi.settings().requestTimeoutMs === 3000);
    await setUserSetting('kimi.model', 'moonshot-v1-8k', () => api.kimi.settings().model === 'moonshot-v1-8k');
    await setUserSetting('kimi.maxRetries', 0, () => api.kimi.settings().maxRetries === 0);
  });

  after(async () => {
    await setUserSetting('kimi.requestTimeout', undefined, () => api.kimi.settings().requestTimeoutMs === 60_000);
    await setUserSetting('kimi.model', undefined, () => api.kimi.settings().model !== 'moonshot-v1-8k');
    await setUserSetting('kimi.maxRetries', undefined, () => api.kimi.settings().maxRetries === 2);
    await disconnect(api, server);
  });

  beforeEach(async () => {
    server.reset();
    await controller.newConversation();
  });

  it('streams a turn to the view in deltas and saves it with its usage', async () => {
    const posts = recordPosts(controller);
    const question = 'How do I reverse a list in Python?';
    const turn = await controller.send(question);
    posts.dispose();
    const expected = answerFor([{ role: 'user', content: question }]);
    assert.equal(turn.status, 'done');
    assert.equal(turn.content, expected);
    assert.equal(turn.model, 'moonshot-v1-8k');
    assert.ok(turn.usage && turn.usage.prompt > 0 && turn.usage.completion > 0, JSON.stringify(turn.usage));

    const types = posts.messages.map((m) => m.type);
    assert.equal(types[0], 'turnStart');
    assert.ok(types.lastIndexOf('turnEnd') > types.lastIndexOf('delta'), 'turnEnd comes after every delta');
    const deltas = posts.messages.filter((m): m is Extract<HostMessage, { type: 'delta' }> => m.type === 'delta');
    assert.equal(deltas.map((d) => d.text).join(''), expected, 'the deltas add up to the answer');
    assert.ok(deltas.every((d) => d.turnId === turn.id && d.conversationId === controller.conversation.id));

    const onDisk = readConversation(controller, controller.conversation.id);
    assert.deepEqual(onDisk.turns.map((t) => [t.role, t.status ?? '', t.content]), [
      ['user', '', question],
      ['assistant', 'done', expected],
    ]);
    assert.deepEqual(onDisk.turns[1].usage, turn.usage);
    assert.equal(onDisk.title, question);
    const sent = chatRequests(server)[0].body as { model: string; max_tokens: number; messages: unknown[] };
    assert.equal(sent.model, 'moonshot-v1-8k');
    assert.equal(sent.max_tokens, 4096);
    assert.deepEqual(sent.messages, [{ role: 'user', content: question }]);
  });

  it('sends the whole conversation on the next turn', async () => {
    await controller.send('echo:first answer');
    const second = await controller.send('echo:second answer');
    assert.equal(second.content, 'second answer');
    const sent = chatRequests(server)[1].body as { messages: unknown[] };
    assert.deepEqual(sent.messages, [
      { role: 'user', content: 'echo:first answer' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'echo:second answer' },
    ]);
  });

  it('Stop aborts the request at once, the server sees the disconnect, the partial answer stays', async () => {
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 40 });
    const full = 'word '.repeat(300);
    const answer = controller.send(`echo:${full}`);
    await waitFor(() => (controller.conversation.turns.at(-1)?.content.length ?? 0) > 0, 'the first delta');
    assert.equal(server.state.openStreams, 1);
    const stoppedAt = Date.now();
    await vscode.commands.executeCommand('kimi.chat.stop');
    const turn = await answer;
    assert.ok(Date.now() - stoppedAt < 1000, 'stopped quickly');
    assert.equal(turn.status, 'stopped');
    assert.ok(turn.content.length > 0 && turn.content.length < full.length, `partial answer kept (${turn.content.length} chars)`);
    assert.ok(full.startsWith(turn.content));
    await waitFor(() => server.state.openStreams === 0, 'the server to see the disconnect');
    assert.equal(controller.streaming, false);
    const onDisk = readConversation(controller, controller.conversation.id);
    assert.equal(onDisk.turns[1].status, 'stopped');
    assert.equal(onDisk.turns[1].content, turn.content);
  });

  it('saves the answer while it streams, so a closed window mid-answer loses nothing', async () => {
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 30 });
    const answer = controller.send(`echo:${'chunk '.repeat(200)}`);
    await sleep(1600);
    const midway = readConversation(controller, controller.conversation.id);
    assert.equal(midway.turns[1].status, 'streaming');
    assert.ok(midway.turns[1].content.length > 0, 'the partial answer is on disk');
    // A store opening that file later (after a reload) sees an interrupted, stopped answer.
    const reopened = new ConversationStore(controller.store.dir);
    await reopened.load();
    const read = await reopened.open(controller.conversation.id);
    assert.equal(read?.turns[1].status, 'stopped');
    controller.stop();
    await answer;
  });

  it('a dropped connection shows an error with Retry and keeps the conversation; Retry answers', async () => {
    await controller.send('echo:before the drop');
    server.fault({ match: CHAT, kind: 'cut', afterChunks: 3 });
    const failed = await controller.send(`echo:${'lost '.repeat(100)}`);
    assert.equal(failed.status, 'error');
    assert.ok(failed.error?.actions.includes('retry'), JSON.stringify(failed.error));
    assert.ok(failed.error!.message.length > 0);
    assert.equal(controller.conversation.turns.length, 4, 'both questions and both answers are still there');
    assert.equal(controller.conversation.turns[1].content, 'before the drop');

    const ended = new Promise<string>((resolve) => {
      const sub = controller.onDidEndTurn((e) => {
        sub.dispose();
        resolve(e.turn.status ?? '');
      });
    });
    await controller.handleMessage({ type: 'action', action: 'retry' });
    assert.equal(await ended, 'done');
    assert.equal(controller.conversation.turns.length, 4, 'the failed answer was replaced');
    assert.equal(controller.conversation.turns[3].content, 'lost '.repeat(100));
  });

  it('a refused key (401) shows an error offering Set API Key', async () => {
    server.fault({ match: CHAT, kind: 'status', status: 401, type: 'invalid_authentication_error', message: 'Invalid Authentication' });
    const turn = await controller.send('hello');
    assert.equal(turn.status, 'error');
    assert.ok(turn.error?.actions.includes('setApiKey'), JSON.stringify(turn.error));
    assert.match(turn.error!.message, /Invalid Authentication/);
  });

  it('a rate limit (429) shows an error offering Retry', async () => {
    server.fault({ match: CHAT, kind: 'status', status: 429, type: 'rate_limit_reached_error', message: 'Your account request reached max concurrency: 1, please try again after 1 seconds' });
    const turn = await controller.send('hello');
    assert.equal(turn.status, 'error');
    assert.ok(turn.error?.actions.includes('retry'), JSON.stringify(turn.error));
  });

  it('regenerates the last answer and resends an edited last question', async () => {
    await controller.send('echo:one');
    await controller.handleMessage({ type: 'regenerate' });
    await waitFor(() => !controller.streaming && controller.conversation.turns.length === 2 && chatRequests(server).length === 2, 'the regenerated answer');
    assert.equal(controller.conversation.turns[1].content, 'one');
    await controller.handleMessage({ type: 'editLast', text: 'echo:two' });
    await waitFor(() => !controller.streaming && chatRequests(server).length === 3, 'the edited question to be answered');
    assert.deepEqual(
      controller.conversation.turns.map((t) => t.content),
      ['echo:two', 'two'],
    );
  });

  it('a second question while an answer streams stops that answer first (one run at a time)', async () => {
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 30 });
    const first = controller.send(`echo:${'one '.repeat(200)}`);
    const second = controller.send('echo:two');
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.status, 'stopped');
    assert.equal(b.status, 'done');
    assert.deepEqual(
      controller.conversation.turns.map((t) => `${t.role}:${t.status ?? ''}`),
      ['user:', 'assistant:stopped', 'user:', 'assistant:done'],
    );
  });

  it('ignores invalid messages from the webview', async () => {
    const before = server.requests.length;
    for (const bad of [{ type: 'send', text: 42 }, { type: 'send', text: 'hi', extra: 1 }, { type: 'switchConversation', id: '../../x' }, 'send', null]) {
      await controller.handleMessage(bad);
    }
    assert.equal(server.requests.length, before);
    assert.equal(controller.conversation.turns.length, 0);
  });

  it('keeps the draft and manages conversations: new, switch, rename, delete', async () => {
    const first = controller.conversation;
    await controller.send('echo:in the first');
    await controller.handleMessage({ type: 'draft', text: 'half-typed question' });
    await waitFor(() => readConversation(controller, first.id).draft === 'half-typed question', 'the draft on disk');

    await vscode.commands.executeCommand('kimi.chat.new');
    const second = controller.conversation;
    assert.notEqual(second.id, first.id);
    await controller.handleMessage({ type: 'switchConversation', id: first.id });
    assert.equal(controller.conversation.id, first.id);
    assert.equal(controller.conversation.draft, 'half-typed question');

    await controller.handleMessage({ type: 'renameConversation', id: first.id, title: 'Renamed' });
    assert.equal(controller.store.list().find((s) => s.id === first.id)?.title, 'Renamed');
    await controller.handleMessage({ type: 'deleteConversation', id: first.id });
    assert.equal(controller.store.list().some((s) => s.id === first.id), false);
    assert.equal(fs.existsSync(path.join(controller.store.dir, `${first.id}.json`)), false);
    assert.notEqual(controller.conversation.id, first.id);
  });

  it('counts the draft tokens (debounced)', async () => {
    const posts = recordPosts(controller);
    for (const text of ['H', 'He', 'Hel', 'Hello there']) await controller.handleMessage({ type: 'draft', text });
    await waitFor(() => posts.messages.some((m) => m.type === 'draftTokens' && m.count !== null), 'a token count');
    posts.dispose();
    // Only the draft's estimates (the status bar counts the active editor through the same route).
    const drafts = ['H', 'He', 'Hel', 'Hello there'];
    const counted = server.requests
      .filter((r) => r.path === '/v1/tokenizers/estimate-token-count')
      .map((r) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content)
      .filter((c) => drafts.includes(c ?? ''));
    assert.deepEqual(counted, ['Hello there'], 'one estimate for the pause in typing');
  });

  it('the conversation survives a reload of the view', async function () {
    if (!fs.existsSync(path.join(__dirname, '..', '..', 'webview', 'chat.js'))) this.skip();
    const turn = await controller.send('echo:remember me');
    const id = controller.conversation.id;
    await vscode.commands.executeCommand('kimi.chat.focus');
    await waitFor(() => provider.resolveCount > 0, 'the view to resolve');
    const posts = recordPosts(controller);
    const readies: unknown[] = [];
    const sub = controller.onDidReceiveMessage((m) => m.type === 'ready' && readies.push(m));
    try {
      // Reloading the webview runs its page again from scratch: it asks for its state with 'ready'.
      await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
      await waitFor(() => readies.length > 0, 'the reloaded webview to say ready', 20_000);
      await waitFor(
        () => posts.messages.some((m) => m.type === 'conversation' && m.conversation.id === id && m.conversation.turns.some((t) => t.id === turn.id && t.content === 'remember me')),
        'the reloaded view to get the conversation back',
      );
    } finally {
      sub.dispose();
      posts.dispose();
    }
  });

  it('the conversation is read back from disk by a fresh store', async () => {
    const turn = await controller.send('echo:on disk');
    await controller.store.flush();
    const fresh = new ConversationStore(controller.store.dir);
    await fresh.load();
    assert.equal(fresh.activeConversationId, controller.conversation.id);
    const read = await fresh.open(controller.conversation.id);
    assert.deepEqual(read?.turns.at(-1), turn);
  });

  it('Chat with Cache sends the cache message first, with a moonshot-v1 model', async () => {
    const client = await api.kimi.requireClient();
    const cache = await client.createCache('moonshot-v1', [{ role: 'system', content: 'Project docs.' }], { name: 'docs', ttl: 600 });
    const id = await vscode.commands.executeCommand<string>('kimi.caches.chatWith', { kind: 'cache', cache });
    assert.equal(controller.conversation.id, id);
    assert.deepEqual(controller.conversation.cache, { kind: 'cache', cacheId: cache.id, label: 'docs' });
    const turn = await controller.send('echo:cached hello');
    assert.equal(turn.content, 'cached hello');
    const sent = chatRequests(server).at(-1)!.body as { model: string; messages: unknown[]; tools?: unknown };
    assert.deepEqual(sent.messages[0], { role: 'cache', content: `cache_id=${cache.id}` });
    assert.equal(sent.model, 'moonshot-v1-8k', 'the configured moonshot-v1 model is kept');
    assert.equal(sent.tools, undefined);

    await client.createTag('team-docs', cache.id);
    await vscode.commands.executeCommand('kimi.caches.chatWith', { kind: 'tag', tag: { tag: 'team-docs', cache_id: cache.id, object: 'cache_object.tag' } });
    await controller.send('echo:tagged');
    const tagged = chatRequests(server).at(-1)!.body as { messages: unknown[] };
    assert.deepEqual(tagged.messages[0], { role: 'cache', content: 'tag=team-docs' });

    // From the palette (no tree node): a quick pick of tags and caches.
    const picks: string[] = [];
    await withPrompts(
      api,
      {
        pick: async <T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>) => {
          const list = [...(await items)];
          picks.push(...list.map((i) => i.label));
          return list.find((i) => i.label.includes('team-docs'));
        },
      },
      () => vscode.commands.executeCommand('kimi.caches.chatWith'),
    );
    assert.ok(picks.some((l) => l.includes('docs')) && picks.some((l) => l.includes('team-docs')), JSON.stringify(picks));
    assert.deepEqual(controller.conversation.cache, { kind: 'tag', tag: 'team-docs', label: 'team-docs' });

    await controller.handleMessage({ type: 'detachCache' });
    await controller.send('echo:plain');
    const plain = chatRequests(server).at(-1)!.body as { messages: Array<{ role: string }> };
    assert.equal(plain.messages[0].role, 'user');
  });

  it('Create Cache from Conversation caches the questions and answers', async () => {
    await controller.send('echo:cache this answer');
    const { dialogs } = scripted(['From chat', '', '600']);
    const created = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<{ id: string } | undefined>('kimi.caches.createFromConversation'));
    assert.ok(created, 'a cache was created');
    const onServer = server.caches.get(created.id);
    assert.deepEqual(onServer?.messages, toApiMessages({}, controller.conversation.turns));
    assert.equal(onServer?.name, 'From chat');
  });

  it('code actions: copy to the clipboard, insert at the cursor and replace the selection in the last editor', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'a = 1\nb = 2\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await controller.handleMessage({ type: 'code', action: 'insert', code: 'inserted = 0\n', language: 'python' });
    assert.equal(doc.getText(), 'a = 1\ninserted = 0\nb = 2\n');
    const e2 = vscode.window.activeTextEditor!;
    e2.selection = new vscode.Selection(0, 0, 0, 5);
    await controller.handleMessage({ type: 'code', action: 'replace', code: 'a = 42' });
    assert.equal(doc.getText(), 'a = 42\ninserted = 0\nb = 2\n');
    await controller.handleMessage({ type: 'code', action: 'copy', code: 'copied()' });
    assert.equal(await vscode.env.clipboard.readText(), 'copied()');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
