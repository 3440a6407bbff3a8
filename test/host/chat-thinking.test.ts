// Thinking models in the chat, in a real extension host against the test server: the recommended
// model when kimi.model is empty (only current models listed), reasoning replayed on the next turn
// as the server received it, and a retired model answered with a way out instead of a raw 404.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KimiApi } from '../../src/extension';
import type { ChatController } from '../../src/chat/controller';
import type { Conversation, HostMessage } from '../../src/chat/protocol';
import type { ChatMessage } from '../../src/kimi/types';
import { type MockServer } from '../server';
import { chatApi, recordPosts } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, setUserSetting, withPrompts } from './shell-support';

type Sent = { model: string; messages: ChatMessage[] };

describe('chat: thinking models in a real extension host', () => {
  let api: KimiApi;
  let server: MockServer;
  let controller: ChatController;
  const chatBodies = () => server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Sent);
  const onDisk = (id: string) => JSON.parse(fs.readFileSync(path.join(controller.store.dir, `${id}.json`), 'utf8')) as Conversation;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api, { currentModelsOnly: true });
    ({ controller } = await chatApi());
    await setUserSetting('kimi.maxRetries', 0, () => api.kimi.settings().maxRetries === 0);
  });
  after(async () => {
    await setUserSetting('kimi.model', undefined, () => api.kimi.configuredModel() === '');
    await setUserSetting('kimi.maxRetries', undefined, () => api.kimi.settings().maxRetries === 2);
    await disconnect(api, server);
  });
  beforeEach(async () => {
    server.reset();
    server.state.currentModelsOnly = true;
    await controller.newConversation();
  });

  it('with kimi.model empty, answers come from the recommended model the server lists, shown in the header', async () => {
    await setUserSetting('kimi.model', undefined, () => api.kimi.configuredModel() === '');
    const posts = recordPosts(controller);
    const turn = await controller.send('echo:which model?');
    await controller.showAll();
    posts.dispose();
    assert.equal(turn.status, 'done', JSON.stringify(turn.error));
    assert.equal(chatBodies()[0]?.model, 'kimi-k2.7-code');
    assert.equal(turn.model, 'kimi-k2.7-code');
    assert.equal(await api.kimi.resolveModel(), 'kimi-k2.7-code');
    const state = posts.messages.filter((m): m is Extract<HostMessage, { type: 'models' }> => m.type === 'models').at(-1);
    assert.equal(state?.modelInfo?.id, 'kimi-k2.7-code');
    assert.equal(state?.modelInfo?.recommended, true);
    assert.equal(state?.modelInfo?.unavailable, undefined);
    assert.ok(turn.reasoning && turn.reasoning.length > 0, 'a thinking model reasoned');
    assert.ok(posts.messages.some((m) => m.type === 'reasoning'), 'the reasoning was streamed to the view');
  });

  it('replays the reasoning on the second turn exactly as the first answer returned it, and saves it', async () => {
    await setUserSetting('kimi.model', 'kimi-k3', () => api.kimi.configuredModel() === 'kimi-k3');
    const first = await controller.send('echo:first answer');
    const second = await controller.send('echo:second answer');
    assert.equal(second.status, 'done', JSON.stringify(second.error));
    assert.equal(second.content, 'second answer');
    const [, again] = chatBodies();
    const replayed = again!.messages.find((m) => m.role === 'assistant');
    assert.equal(replayed?.content, 'first answer');
    assert.ok(first.reasoning);
    assert.equal(replayed?.reasoning_content, first.reasoning, 'sent back exactly as returned');
    const saved = onDisk(controller.conversation.id);
    assert.equal(saved.turns[1]?.reasoning, first.reasoning);
    assert.ok(typeof saved.turns[1]?.thinkingMs === 'number');
  });

  it('a configured model the server no longer offers gets a clear message with Select Model, in the panel and as a notification', async () => {
    await setUserSetting('kimi.model', 'kimi-k2.5', () => api.kimi.configuredModel() === 'kimi-k2.5');
    const warnings: Array<{ message: string; actions: string[] }> = [];
    const turn = await withPrompts(api, { warn: async (message, ...actions) => (warnings.push({ message, actions }), undefined) }, () =>
      controller.send('echo:still there?'),
    );
    assert.equal(turn.status, 'error');
    assert.match(turn.error?.message ?? '', /no longer offers kimi-k2\.5/);
    assert.deepEqual(turn.error?.actions, ['selectModel']);
    assert.doesNotMatch(turn.error?.message ?? '', /Not found the model/, 'not the raw API error');
    assert.deepEqual(warnings.map((w) => w.actions), [['Select Model']]);
  });
});
