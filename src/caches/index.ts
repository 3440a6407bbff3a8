// The caches feature: the cache model, its tree view, the read-only cache documents and the commands.
import * as vscode from 'vscode';
import type { ChatPanel } from '../core/chat-panel';
import { registerCommand } from '../core/command';
import { Disposable } from '../core/disposable';
import { Commands, type CommandId } from '../core/ids';
import type { KimiService } from '../core/service';
import { CacheChatCommands } from './chat-commands';
import { CacheCommands } from './commands';
import { CacheCreation } from './create';
import { CACHE_SCHEME, CacheDocumentProvider } from './document';
import { CacheModel } from './model';
import { showCachesView } from './notices';
import { CacheTree } from './tree';

export class Caches extends Disposable {
  readonly model: CacheModel;
  readonly tree: CacheTree;

  constructor(kimi: KimiService, chat: ChatPanel) {
    super();
    this.model = this.register(new CacheModel(kimi));
    this.tree = this.register(new CacheTree(this.model));
    this.register(vscode.workspace.registerTextDocumentContentProvider(CACHE_SCHEME, new CacheDocumentProvider(kimi)));
    const model = this.model;
    const c = new CacheCommands(kimi, model);
    const creation = new CacheCreation(kimi, model);
    const withChat = new CacheChatCommands(kimi, chat);
    const command = (id: CommandId, run: (...args: unknown[]) => unknown, what = vscode.l10n.t('Context caches')) => this.register(registerCommand(id, run, kimi, what));
    // The view starts collapsed (the chat gets the side bar): asking for the caches shows them.
    command(Commands.cachesRefresh, async () => {
      await model.refresh();
      await showCachesView();
    });
    command(Commands.cachesLoadMore, () => model.loadMore());
    command(Commands.cachesCreate, (arg) => creation.run(arg));
    command(Commands.cachesCreateFromFiles, (clicked, selected) => creation.run(Array.isArray(selected) && selected.length ? selected : clicked));
    // Failures name the chat, as they did when the chat registered these.
    command(Commands.cachesCreateFromConversation, () => withChat.createFromConversation(), vscode.l10n.t('Kimi chat'));
    command(Commands.cachesChatWith, (node) => withChat.chatWith(node), vscode.l10n.t('Kimi chat'));
    command(Commands.cachesUpdateTtl, (node) => c.updateTtl(node));
    command(Commands.cachesEditMetadata, (node) => c.editMetadata(node));
    command(Commands.cachesDelete, (node) => c.delete(node));
    command(Commands.cachesCopyId, (node) => c.copyId(node));
    command(Commands.cachesOpen, (node) => c.open(node));
    command(Commands.cachesAddTag, (node) => c.addTag(node));
    command(Commands.tagsDelete, (node) => c.deleteTag(node));
    command(Commands.tagsOpenContent, (node) => c.openTag(node));
  }
}

export function registerCaches(context: vscode.ExtensionContext, kimi: KimiService, chat: ChatPanel): Caches {
  const caches = new Caches(kimi, chat);
  context.subscriptions.push(caches);
  return caches;
}
