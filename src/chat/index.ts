// Registers the chat panel and its commands; returns the controller the editor commands use.
import * as vscode from 'vscode';
import { registerTestHook } from '../core/test-hooks';
import { dialogs } from '../core/dialogs';
import { registerCommand } from '../core/command';
import { Commands, type CommandId } from '../core/ids';
import type { KimiService } from '../core/service';
import type { CacheTag, ContextCache } from '../kimi/types';
import { ChatController } from './controller';
import type { CacheRef } from './protocol';
import { ConversationStore } from './store';
import { syncAcrossWindows } from './sync';
import { ChatViewProvider } from './view';

export type { ChatController } from './controller';

/** Tree nodes the cache view hands to its commands. */
type CacheNode = { kind: 'cache'; cache: ContextCache } | { kind: 'tag'; tag: CacheTag };

function refFromNode(node: unknown): CacheRef | undefined {
  const n = node as Partial<CacheNode> | undefined;
  if (n?.kind === 'cache' && n.cache && typeof n.cache.id === 'string') {
    return { kind: 'cache', id: n.cache.id, label: n.cache.name || n.cache.id };
  }
  if (n?.kind === 'tag' && n.tag && typeof n.tag.tag === 'string') return { kind: 'tag', id: n.tag.tag, label: n.tag.tag };
  return undefined;
}

/** Without a tree node: pick a ready cache or a tag. */
async function pickCache(kimi: KimiService): Promise<CacheRef | undefined> {
  const client = await kimi.requireClient();
  const [caches, tags] = await Promise.all([client.listCaches({ limit: 100 }), client.listTags({ limit: 100 })]);
  type Item = vscode.QuickPickItem & { ref: CacheRef };
  const items: Item[] = [
    ...tags.data.map((t) => ({ label: `$(tag) ${t.tag}`, description: t.cache_id, ref: { kind: 'tag' as const, id: t.tag, label: t.tag } })),
    ...caches.data
      .filter((c) => c.status === 'ready' || c.status === 'pending')
      .map((c) => ({ label: `$(database) ${c.name || c.id}`, description: c.id, detail: c.status, ref: { kind: 'cache' as const, id: c.id, label: c.name || c.id } })),
  ];
  if (items.length === 0) {
    void dialogs.info(vscode.l10n.t('There is no context cache yet. Create one from files or from a conversation first.'));
    return undefined;
  }
  const picked = await dialogs.pick(items, { placeHolder: vscode.l10n.t('Chat with which context cache or tag?') });
  return picked?.ref;
}

export function registerChat(context: vscode.ExtensionContext, kimi: KimiService): ChatController {
  const dir = vscode.Uri.joinPath(context.globalStorageUri, 'conversations').fsPath;
  const controller = new ChatController(kimi, new ConversationStore(dir, kimi.log));
  const provider = new ChatViewProvider(context.extensionUri, controller);
  const command = (id: CommandId, run: (...args: unknown[]) => unknown) => registerCommand(id, run, kimi, vscode.l10n.t('Kimi chat'));
  context.subscriptions.push(
    controller,
    syncAcrossWindows(controller, kimi.log),
    provider,
    command(Commands.chatNew, async () => {
      const conversation = await controller.newConversation();
      await controller.reveal(true);
      return conversation.id;
    }),
    command(Commands.chatStop, () => controller.stop()),
    command(Commands.cachesChatWith, async (node?: unknown) => {
      const ref = refFromNode(node) ?? (await pickCache(kimi));
      if (ref) return (await controller.chatWithCache(ref)).id;
      return undefined;
    }),
    command(Commands.cachesCreateFromConversation, async () => {
      const messages = await controller.messagesForCache();
      if (messages.length === 0) {
        void dialogs.info(vscode.l10n.t('The conversation is empty: ask something first, then cache it.'));
        return undefined;
      }
      return vscode.commands.executeCommand(Commands.cachesCreate, { messages, name: controller.conversation.title });
    }),
  );
  // Test mode only: lets host tests reach the controller and the view.
  registerTestHook(context, '_kimi.chat.testApi', () => ({ controller, provider }));
  return controller;
}
