// Two windows on one conversation folder, in a real extension host: a second store instance on the
// chat's folder stands in for the other VS Code window. The file watcher must bring its changes into
// the controller's list and open conversation, and an unreadable file must be shown with its actions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatController } from '../../src/chat/controller';
import type { HostMessage, Turn } from '../../src/chat/protocol';
import { ConversationStore } from '../../src/chat/store';
import type { KimiApi } from '../../src/extension';
import { chatApi, recordPosts } from './chat-support';
import { kimiApi, waitFor, withPrompts } from './shell-support';

type List = Extract<HostMessage, { type: 'conversations' }>;
type Opened = Extract<HostMessage, { type: 'conversation' }>;

function turn(role: Turn['role'], content: string): Turn {
  return { id: `t-${Math.random().toString(36).slice(2)}`, role, content, createdAt: Date.now(), ...(role === 'assistant' ? { status: 'done' as const } : {}) };
}

describe('chat: conversations shared with another window', () => {
  let api: KimiApi;
  let controller: ChatController;
  let other: ConversationStore;

  before(async () => {
    api = await kimiApi();
    ({ controller } = await chatApi());
  });

  beforeEach(async () => {
    await controller.newConversation();
    other = new ConversationStore(controller.store.dir);
    await other.load();
  });

  it('another window\'s new conversation, new turns and deletion reach the list and the open conversation', async () => {
    const posts = recordPosts(controller);
    const lists = () => posts.messages.filter((m): m is List => m.type === 'conversations');
    const opened = () => posts.messages.filter((m): m is Opened => m.type === 'conversation');
    try {
      const created = await other.create({ title: 'Asked in the other window' });
      created.turns.push(turn('user', 'echo:from there'));
      await other.save(created);
      await waitFor(() => lists().some((s) => s.conversations.some((c) => c.id === created.id && c.title === 'Asked in the other window')), 'the list to show the other window\'s conversation');
      assert.ok(controller.store.list().some((c) => c.id === created.id));

      // The open conversation: the other window adds a question and an answer to it.
      const here = controller.conversation;
      here.turns.push(turn('user', 'asked here'));
      await controller.store.save(here);
      const there = (await other.open(here.id))!;
      there.turns.push(turn('user', 'asked there'), turn('assistant', 'answered there'));
      await other.save(there);
      await waitFor(() => controller.conversation.turns.some((t) => t.content === 'answered there'), 'the open conversation to take in the other window\'s turns');
      assert.equal(controller.conversation, here, 'still the same conversation');
      assert.deepEqual(here.turns.map((t) => t.content), ['asked here', 'asked there', 'answered there']);
      await waitFor(() => opened().some((s) => s.conversation.id === here.id && s.conversation.turns.length === 3), 'the view to get the refreshed conversation');

      // The other window deletes the open conversation: this window moves on and does not save it again.
      await other.delete(here.id);
      await waitFor(() => controller.conversation.id !== here.id, 'the chat to leave the deleted conversation');
      await controller.store.flush();
      assert.equal(fs.existsSync(path.join(controller.store.dir, `${here.id}.json`)), false);
      assert.equal(controller.store.list().some((c) => c.id === here.id), false);
    } finally {
      posts.dispose();
    }
  });

  it('an unreadable conversation file is shown with Open File and Delete', async () => {
    const id = `c-broken-${Date.now().toString(36)}`;
    const file = path.join(controller.store.dir, `${id}.json`);
    const shown: Array<{ message: string; actions: string[] }> = [];
    let answer = 'Open File';
    await withPrompts(
      api,
      {
        warn: async (message: string, ...actions: string[]) => {
          shown.push({ message, actions });
          return message.includes(`${id}.json`) ? answer : undefined;
        },
      },
      async () => {
        fs.writeFileSync(file, '{"id":"' + id + '","title":"cut off","turns":[{"id":"t-1","con');
        await waitFor(() => shown.some((s) => s.message.includes(`${id}.json`)), 'the unreadable file to be reported');
        const report = shown.find((s) => s.message.includes(`${id}.json`))!;
        assert.deepEqual(report.actions, ['Open File', 'Delete']);
        assert.match(report.message, /could not be read/);
        assert.ok(controller.store.list().some((c) => c.id === id), 'listed, not skipped');
        await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === file, 'Open File to open it');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

        // Changed again (still damaged): reported again; this time the answer is Delete.
        answer = 'Delete';
        const before = shown.length;
        fs.writeFileSync(file, '{"id":"' + id + '","title":"still cut');
        await waitFor(() => shown.length > before, 'the changed file to be reported again');
        await waitFor(() => !fs.existsSync(file), 'Delete to remove the file');
        await waitFor(() => !controller.store.list().some((c) => c.id === id), 'the list to drop it');
      },
    );
  });
});
