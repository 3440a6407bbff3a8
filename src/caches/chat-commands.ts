// Chat with Context Cache and Create Cache from Conversation: the cache side of the chat, reached
// through the ChatPanel that extension.ts hands over.
import * as vscode from 'vscode';
import type { ChatPanel } from '../core/chat-panel';
import { dialogs } from '../core/dialogs';
import { Commands } from '../core/ids';
import type { KimiService } from '../core/service';
import type { CacheRef } from '../shared/conversation';
import type { CacheNode } from './tree';

const t = vscode.l10n.t;

export class CacheChatCommands {
  constructor(
    private readonly kimi: KimiService,
    private readonly chat: ChatPanel,
  ) {}

  /** Starts a conversation using the cache or tag (the clicked row, else picked); its id. */
  async chatWith(node?: unknown): Promise<string | undefined> {
    const ref = refFromNode(node) ?? (await this.pick());
    return ref && (await this.chat.chatWithCache(ref)).id;
  }

  /** Create Context Cache with the open conversation's questions and answers. */
  async createFromConversation(): Promise<unknown> {
    const messages = await this.chat.messagesForCache();
    if (messages.length === 0) {
      void dialogs.info(t('The conversation is empty: ask something first, then cache it.'));
      return undefined;
    }
    return vscode.commands.executeCommand(Commands.cachesCreate, { messages, name: this.chat.conversation.title });
  }

  /** Without a tree row: pick a ready cache or a tag. */
  private async pick(): Promise<CacheRef | undefined> {
    const client = await this.kimi.requireClient();
    const [caches, tags] = await Promise.all([client.listCaches({ limit: 100 }), client.listTags({ limit: 100 })]);
    type Item = vscode.QuickPickItem & { ref: CacheRef };
    const items: Item[] = [
      ...tags.data.map((tag): Item => ({ label: `$(tag) ${tag.tag}`, description: tag.cache_id, ref: { kind: 'tag', tag: tag.tag, label: tag.tag } })),
      ...caches.data
        .filter((c) => c.status === 'ready' || c.status === 'pending')
        .map((c): Item => ({ label: `$(database) ${c.name || c.id}`, description: c.id, detail: c.status, ref: { kind: 'cache', cacheId: c.id, label: c.name || c.id } })),
    ];
    if (items.length === 0) {
      void dialogs.info(t('There is no context cache yet. Create one from files or from a conversation first.'));
      return undefined;
    }
    const picked = await dialogs.pick(items, { placeHolder: t('Chat with which context cache or tag?') });
    return picked?.ref;
  }
}

/** A tree row (or a command argument shaped like one) as a cache reference. */
function refFromNode(node: unknown): CacheRef | undefined {
  const n = node as Partial<CacheNode> | undefined;
  if (n?.kind === 'cache' && n.cache && typeof n.cache.id === 'string') return { kind: 'cache', cacheId: n.cache.id, label: n.cache.name || n.cache.id };
  if (n?.kind === 'tag' && n.tag && typeof n.tag.tag === 'string') return { kind: 'tag', tag: n.tag.tag, label: n.tag.tag };
  return undefined;
}
