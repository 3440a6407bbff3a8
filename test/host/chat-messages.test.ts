// What the host sends the panel: a rename sends the conversation list and a settings change the
// models and the key notice; neither sends the conversation's turns again (the panel would
// re-render every turn). Opening a conversation sends its turns once.
import * as assert from 'node:assert/strict';
import type { KimiApi } from '../../src/extension';
import type { ChatController } from '../../src/chat/controller';
import type { HostMessage } from '../../src/chat/protocol';
import type { MockServer } from '../server';
import { chatApi, recordPosts } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, setUserSetting, waitFor } from './shell-support';

const withTurns = (messages: HostMessage[]) => messages.filter((m) => m.type === 'conversation');

describe('chat: narrow messages to the panel', () => {
  let api: KimiApi;
  let server: MockServer;
  let controller: ChatController;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    ({ controller } = await chatApi());
    await controller.newConversation();
    assert.equal((await controller.send('echo:first')).status, 'done');
    assert.equal((await controller.send('echo:second')).status, 'done');
  });

  after(async () => {
    await setUserSetting('kimi.temperature', undefined, () => true);
    await disconnect(api, server);
  });

  it('a rename sends the list with the new title and no turns', async () => {
    const posts = recordPosts(controller);
    try {
      const id = controller.conversation.id;
      await controller.handleMessage({ type: 'renameConversation', id, title: 'Renamed here' });
      const list = posts.messages.find((m) => m.type === 'conversations');
      assert.ok(list && list.type === 'conversations', 'the list was sent');
      assert.equal(list.active.title, 'Renamed here');
      assert.ok(list.conversations.some((c) => c.id === id && c.title === 'Renamed here'));
      assert.deepEqual(withTurns(posts.messages), [], 'no conversation (turns) sent on a rename');
    } finally {
      posts.dispose();
    }
  });

  it('a settings change sends the models and the key notice, and no turns', async () => {
    const posts = recordPosts(controller);
    try {
      await setUserSetting('kimi.temperature', 0.4, () => api.kimi.settings().temperature === 0.4);
      await waitFor(() => posts.messages.some((m) => m.type === 'apiKey') && posts.messages.some((m) => m.type === 'models'), 'the key notice and the models');
      assert.deepEqual(withTurns(posts.messages), [], 'no conversation (turns) sent on a settings change');
    } finally {
      posts.dispose();
    }
  });

  it('opening a conversation sends its turns once, with the list and the models', async () => {
    const id = controller.conversation.id;
    await controller.newConversation();
    const posts = recordPosts(controller);
    try {
      await controller.handleMessage({ type: 'switchConversation', id });
      const opened = withTurns(posts.messages);
      assert.equal(opened.length, 1);
      assert.deepEqual(opened[0]?.type === 'conversation' && opened[0].conversation.turns.map((t) => t.content), ['echo:first', 'first', 'echo:second', 'second']);
      assert.deepEqual(posts.messages.filter((m) => m.type !== 'draftTokens').map((m) => m.type), ['apiKey', 'conversations', 'models', 'conversation']);
    } finally {
      posts.dispose();
    }
  });
});
