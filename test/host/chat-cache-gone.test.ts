// A conversation attached to a context cache that was deleted (or expired) since: the answer says the
// cache is gone and offers Detach, not the API's raw "Not found the cache … or Permission denied".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import type { ChatController } from '../../src/chat/controller';
import type { MockServer } from '../server';
import { chatApi } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, setUserSetting } from './shell-support';

describe('chat: a conversation whose context cache is gone', () => {
  let api: KimiApi;
  let server: MockServer;
  let controller: ChatController;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    ({ controller } = await chatApi());
    await setUserSetting('kimi.model', 'moonshot-v1-8k', () => api.kimi.settings().model === 'moonshot-v1-8k');
    await setUserSetting('kimi.maxRetries', 0, () => api.kimi.settings().maxRetries === 0);
  });

  after(async () => {
    await setUserSetting('kimi.model', undefined, () => api.kimi.settings().model !== 'moonshot-v1-8k');
    await setUserSetting('kimi.maxRetries', undefined, () => api.kimi.settings().maxRetries === 2);
    await disconnect(api, server);
  });

  it('says the cache no longer exists and offers Detach; after Detach the conversation answers', async () => {
    const client = await api.kimi.requireClient();
    const cache = await client.createCache('moonshot-v1', [{ role: 'system', content: 'Project docs.' }], { name: 'old-docs', ttl: 600 });
    await vscode.commands.executeCommand<string>('kimi.caches.chatWith', { kind: 'cache', cache });
    assert.equal((await controller.send('echo:with the cache')).status, 'done');
    await client.deleteCache(cache.id);

    const failed = await controller.send('echo:after the delete');
    assert.equal(failed.status, 'error');
    assert.match(failed.error!.message, /context cache "old-docs" .*no longer exists/);
    assert.doesNotMatch(failed.error!.message, /Permission denied/);
    assert.deepEqual(failed.error!.actions, ['detachCache']);

    // The button the panel shows posts this action (validated like any message from the page).
    await controller.handleMessage({ type: 'action', action: 'detachCache' });
    assert.equal(controller.conversation.cache, undefined, 'detached');
    const answered = await controller.send('echo:without the cache');
    assert.equal(answered.status, 'done');
    assert.equal(answered.content, 'without the cache');
  });
});
